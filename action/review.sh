#!/usr/bin/env bash
# Runs `goalpost review` for a pull request: the comment goes to the job summary and, when
# the token can write, into one pull-request comment found by its hidden marker; the
# annotations go to the log. Exits 1 when the changed goal files have errors, but only after
# everything is posted. Used by ../action.yml.
# In: BASE, HEAD, COMMENT (true/false), COMMENT_AUTHOR, PR_NUMBER, GH_TOKEN,
#     GITHUB_REPOSITORY, GITHUB_STEP_SUMMARY, RUNNER_TEMP.
set -uo pipefail

marker='<!-- goalpost-review -->'

if [ -z "$BASE" ]; then
  echo "::error::goalpost: no base revision; run on pull_request or set the 'base' input"
  exit 2
fi
HEAD="${HEAD:-HEAD}"

# actions/checkout checks out the synthetic merge commit; the base and the pull request's
# real head are its parents, present with fetch-depth: 0. Fetch them if they are not.
for rev in "$BASE" "$HEAD"; do
  if ! git cat-file -e "$rev^{commit}" 2>/dev/null; then
    git fetch --quiet --no-tags origin "$rev" || true
  fi
done

# Compare with the merge base, as the "Files changed" tab does: changes that landed on the
# base branch after the pull request branched off are not the pull request's.
if merge_base=$(git merge-base "$BASE" "$HEAD" 2>/dev/null); then
  BASE="$merge_base"
fi

body="$RUNNER_TEMP/goalpost-review.md"
status=0
{
  echo "$marker"
  goalpost review --base "$BASE" --head "$HEAD" --format markdown
} >"$body" || status=$?
if [ "$status" -ge 2 ]; then
  # A failure to run (bad revision, shallow clone): its message is on stderr already.
  exit "$status"
fi

cat "$body" >>"$GITHUB_STEP_SUMMARY"

# Annotations on the changed lines (GitHub shows at most 10 of each type per step).
goalpost review --base "$BASE" --head "$HEAD" --format github || true

post_comment() {
  local id payload
  payload="$RUNNER_TEMP/goalpost-review.json"
  jq -n --rawfile body "$body" '{body: $body}' >"$payload" || return 1
  id=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
    --jq ".[] | select(.user.login == \"$COMMENT_AUTHOR\" and (.body | startswith(\"$marker\"))) | .id" |
    tail -n 1) || return 1
  if [ -n "$id" ]; then
    gh api --silent --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" --input "$payload"
  else
    gh api --silent --method POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" --input "$payload"
  fi
}

if [ "$COMMENT" = true ] && [ -n "$PR_NUMBER" ]; then
  if ! post_comment; then
    # Pull requests from forks get a read-only token: the summary has the review.
    echo "::notice::goalpost: could not write the pull-request comment (read-only token?); the review is in the job summary"
  fi
fi

exit "$status"
