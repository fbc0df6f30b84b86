//! Escaping for the places report text goes: GitHub workflow commands and JSON.

/// Escapes the message part of a GitHub workflow command (`::error ...::message`).
pub fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a GitHub workflow command (`file=`, `title=`).
pub fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Newlines and separators cannot break out of a workflow command.
    #[test]
    fn workflow_escapes() {
        assert_eq!(github_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(github_property("x,y:z"), "x%2Cy%3Az");
    }
}
