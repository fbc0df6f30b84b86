#!/usr/bin/env bash
# Installs a released goalpost binary for this runner and verifies its SHA-256 checksum
# against the `.sha256` file published with it. Used by ../action.yml.
# In: GOALPOST_VERSION (latest, 0.1.0 or v0.1.0), GOALPOST_REPOSITORY (owner/name),
#     GH_TOKEN, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP.
set -euo pipefail

case "$RUNNER_OS/$RUNNER_ARCH" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *)
    echo "::error::goalpost has no prebuilt binary for $RUNNER_OS/$RUNNER_ARCH; use cargo install --locked goalpost"
    exit 1
    ;;
esac

tag="$GOALPOST_VERSION"
if [ "$tag" = latest ]; then
  tag=$(gh api "repos/$GOALPOST_REPOSITORY/releases/latest" --jq .tag_name)
fi
tag="v${tag#v}"
version="${tag#v}"

ext=tar.gz
[ "$RUNNER_OS" = Windows ] && ext=zip
name="goalpost-$version-$target"
asset="$name.$ext"
dir="$RUNNER_TEMP/goalpost-install/$version"
rm -rf "$dir"
mkdir -p "$dir"

echo "Installing goalpost $version ($target) from $GOALPOST_REPOSITORY"
gh release download "$tag" --repo "$GOALPOST_REPOSITORY" --dir "$dir" \
  --pattern "$asset" --pattern "$asset.sha256"

# The .sha256 file is `<hex>  <file name>`, as sha256sum writes it.
expected=$(cut -d ' ' -f 1 <"$dir/$asset.sha256" | tr -d '\r\n')
if command -v sha256sum >/dev/null 2>&1; then
  actual=$(sha256sum "$dir/$asset" | cut -d ' ' -f 1)
else
  actual=$(shasum -a 256 "$dir/$asset" | cut -d ' ' -f 1)
fi
if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
  echo "::error::checksum mismatch for $asset: expected '$expected', got '$actual'"
  exit 1
fi

if [ "$ext" = zip ]; then
  7z x -y -o"$dir" "$dir/$asset" >/dev/null
else
  tar -xzf "$dir/$asset" -C "$dir"
fi
echo "$dir/$name" >>"$GITHUB_PATH"
"$dir/$name/goalpost" --version
