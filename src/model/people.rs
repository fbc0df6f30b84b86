//! People: who an owner is and how to reach them (`[people]` in `goalpost.toml`), and the
//! rules a handle must follow before goalpost prints it as a mention.

/// One entry of `[people]`; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Person {
    pub name: Option<String>,
    pub email: Option<String>,
    pub github: Option<String>,
    pub gitlab: Option<String>,
}

/// Whether `handle` follows GitHub's user name rules: 1 to 39 ASCII letters, digits or
/// hyphens, not starting or ending with a hyphen, no two hyphens in a row. Only such a
/// handle is printed as an `@mention`; anything else could smuggle Markdown or mention
/// someone else.
pub fn is_github_handle(handle: &str) -> bool {
    (1..=39).contains(&handle.len())
        && handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !handle.starts_with('-')
        && !handle.ends_with('-')
        && !handle.contains("--")
}

/// Whether `handle` follows GitLab's user name rules: 2 to 255 ASCII letters, digits, `_`,
/// `-` or `.`, starting and ending with a letter or digit.
pub fn is_gitlab_handle(handle: &str) -> bool {
    let edge = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    (2..=255).contains(&handle.len())
        && handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && edge(handle.bytes().next())
        && edge(handle.bytes().last())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Only well-formed handles become mentions: no Markdown, spaces, or @ smuggled in.
    #[test]
    fn handle_rules() {
        for good in ["carol-j", "a", "A1", &"x".repeat(39)] {
            assert!(is_github_handle(good), "{good}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "a_b",
            "a b",
            "@a",
            "a]",
            &"x".repeat(40),
            "carol\n",
        ] {
            assert!(!is_github_handle(bad), "{bad:?}");
        }
        assert!(is_gitlab_handle("carol.j_2"));
        assert!(!is_gitlab_handle(".carol"));
        assert!(!is_gitlab_handle("c"));
    }
}
