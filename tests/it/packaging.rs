//! Packaging: the declared MSRV covers every dependency, the published crate carries what its
//! build needs, and the README states the MSRV that Cargo.toml sets.

use std::path::Path;
use std::process::Command;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The cargo that runs the tests (cargo sets `CARGO` for test processes).
fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(manifest_dir())
        .env("CARGO_TERM_COLOR", "never");
    cmd
}

/// "1.88" or "1.88.0" as comparable numbers; a missing part counts as 0.
fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|p| {
        p.parse::<u64>()
            .unwrap_or_else(|_| panic!("bad rust-version {text:?}"))
    });
    let mut next = || parts.next().unwrap_or(0);
    (next(), next(), next())
}

fn our_rust_version() -> String {
    let text = std::fs::read_to_string(manifest_dir().join("Cargo.toml")).unwrap();
    let manifest: toml::Table = toml::from_str(&text).unwrap();
    manifest["package"]["rust-version"]
        .as_str()
        .expect("Cargo.toml sets package.rust-version")
        .to_owned()
}

/// `cargo metadata` for the locked dependency graph: from the local cache when it has every
/// package (other platforms' crates included), else with the network.
fn metadata() -> serde_json::Value {
    let args = ["metadata", "--locked", "--format-version", "1"];
    let mut out = cargo().args(args).arg("--offline").output().unwrap();
    if !out.status.success() {
        out = cargo().args(args).output().unwrap();
    }
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

// No other toolchain can be installed to try the MSRV, so this compares it with what every
// locked dependency declares: an update that needs a newer Rust fails here, not for users.
#[test]
fn msrv_is_not_older_than_any_dependency_needs() {
    let ours = our_rust_version();
    let meta = metadata();
    let packages = meta["packages"].as_array().unwrap();
    assert!(packages.len() > 20, "expected the whole dependency graph");
    let too_new: Vec<String> = packages
        .iter()
        .filter(|p| p["name"] != "goalpost")
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            (version(needs) > version(&ours))
                .then(|| format!("{} {} needs Rust {needs}", p["name"], p["version"]))
        })
        .collect();
    assert!(
        too_new.is_empty(),
        "rust-version = {ours:?} in Cargo.toml is too old:\n{}",
        too_new.join("\n")
    );
}

// The crate on crates.io is built from the packaged files alone: build.rs embeds
// sample-repo/ and templates/, and the licence files must ship.
#[test]
fn packaged_crate_carries_build_script_embedded_files_and_licences() {
    let out = cargo()
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--locked",
            "--offline",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo package --list failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8(out.stdout).unwrap();
    let listed: Vec<&str> = listed.lines().collect();
    for needed in [
        "build.rs",
        "src/main.rs",
        "src/lib.rs",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "README.md",
        "Cargo.lock",
        "sample-repo/timeline.txt",
        "templates/new/objective.md",
        "templates/site/base.html",
    ] {
        assert!(
            listed.contains(&needed),
            "`cargo package` leaves out {needed}"
        );
    }
    for path in &listed {
        assert!(
            !path.starts_with("target/") && !path.starts_with("goalpost-demo/"),
            "`cargo package` ships a build output: {path}"
        );
    }
}

// A reader is told the MSRV; it must be the one Cargo.toml declares, and the install
// command must come before the tour.
#[test]
fn readme_states_the_declared_msrv_and_install_first() {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let ours = our_rust_version();
    assert!(
        readme.contains(&format!("Rust {ours} or newer")),
        "README.md does not say `Rust {ours} or newer`"
    );
    let head: String = readme.lines().take(40).collect::<Vec<_>>().join("\n");
    assert!(
        head.contains("cargo install --locked --path ."),
        "the install command is not in the README's first 40 lines"
    );
}
