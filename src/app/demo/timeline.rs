//! The demo's timeline: a plain-text list of people and dated commits (plans, check-ins,
//! target changes, unrelated work) that `goalpost demo` replays into a git repository.
//!
//! ```text
//! person alice "Alice Martin" alice@acme.example
//! 2026-06-29 10:00 alice add goalpost.toml goals/2026-Q3 -m "Plan Q3"
//! 2026-07-08 09:30 bob checkin 2026-Q3/platform/reliability#p99 410 "cache rollout"
//! 2026-07-22 10:00 eve done 2026-Q3/platform/reliability#runbooks
//! 2026-08-12 15:00 carol set 2026-Q3/platform/reliability#p99 target 250
//! 2026-08-01 10:00 bob kpi api-availability 99.91
//! 2026-08-02 11:00 dave touch docs/onboarding.md "Update onboarding guide"
//! ```

use crate::error::Error;
use crate::history::writer::Person;
use std::collections::BTreeMap;

pub const TIMELINE_FILE: &str = "timeline.txt";

/// What one commit does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Add sample files or folders as they are in the sample repository.
    Add(Vec<String>),
    /// Set a key result's `current`.
    Checkin {
        kr: String,
        value: f64,
        note: Option<String>,
    },
    /// Mark a milestone key result done.
    Done { kr: String },
    /// Set any numeric field of a key result (a goalpost move when it is start or target).
    Set {
        kr: String,
        field: String,
        value: f64,
    },
    /// Set a KPI's `value`.
    Kpi { slug: String, value: f64 },
    /// Work outside the goals: append a line to a file.
    Touch { path: String, message: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub line: usize,
    /// Seconds since the Unix epoch, UTC.
    pub time: i64,
    pub author: String,
    pub action: Action,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub people: BTreeMap<String, Person>,
    pub entries: Vec<Entry>,
}

/// A problem with one line of the timeline, or with the edit it asks for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EntryError(pub String);

impl From<String> for EntryError {
    fn from(message: String) -> Self {
        EntryError(message)
    }
}

impl From<&str> for EntryError {
    fn from(message: &str) -> Self {
        EntryError(message.to_string())
    }
}

impl From<crate::load::edit::EditError> for EntryError {
    fn from(e: crate::load::edit::EditError) -> Self {
        EntryError(e.0)
    }
}

/// Splits a line into words; double quotes group words, `#` outside quotes starts a comment.
fn tokenize(line: &str) -> Result<Vec<String>, EntryError> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '#' {
            break;
        } else if c == '"' {
            chars.next();
            let mut word = String::new();
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some(ch) => word.push(ch),
                    None => return Err("unclosed quote".into()),
                }
            }
            words.push(word);
        } else {
            let mut word = String::new();
            while let Some(&ch) = chars.peek() {
                if ch.is_whitespace() {
                    break;
                }
                word.push(ch);
                chars.next();
            }
            words.push(word);
        }
    }
    Ok(words)
}

pub fn parse(text: &str) -> Result<Timeline, Error> {
    let mut timeline = Timeline::default();
    for (i, line) in text.lines().enumerate() {
        let fail = |message: EntryError| Error::Input {
            file: format!("sample-repo/{TIMELINE_FILE}"),
            line: i + 1,
            message: message.0,
        };
        let words = tokenize(line).map_err(fail)?;
        match words.first().map(String::as_str) {
            None => {}
            Some("person") => {
                let [_, handle, name, email] = words.as_slice() else {
                    return Err(fail("expected: person <handle> \"<name>\" <email>".into()));
                };
                let person = Person {
                    name: name.clone(),
                    email: email.clone(),
                };
                timeline.people.insert(handle.clone(), person);
            }
            Some(_) => {
                let entry = parse_entry(&words, i + 1).map_err(fail)?;
                if !timeline.people.contains_key(&entry.author) {
                    return Err(fail(format!("unknown person `{}`", entry.author).into()));
                }
                if let Some(last) = timeline.entries.last() {
                    if entry.time < last.time {
                        return Err(fail("entries must be in time order".into()));
                    }
                }
                timeline.entries.push(entry);
            }
        }
    }
    Ok(timeline)
}

fn parse_entry(words: &[String], line: usize) -> Result<Entry, EntryError> {
    let [date, time, author, verb, rest @ ..] = words else {
        return Err("expected: <date> <HH:MM> <person> <action> ...".into());
    };
    let stamp = format!("{date}T{time}:00Z");
    let time: jiff::Timestamp = stamp
        .parse()
        .map_err(|e| format!("bad date or time `{date} {time}`: {e}"))?;
    let (args, message) = match rest.iter().position(|w| w == "-m") {
        Some(i) if i + 2 == rest.len() => (&rest[..i], Some(rest[i + 1].clone())),
        Some(_) => return Err("`-m` takes one quoted message at the end".into()),
        None => (rest, None),
    };
    let number = |s: &String| {
        s.parse::<f64>()
            .map_err(|_| format!("`{s}` is not a number"))
    };
    let action = match (verb.as_str(), args) {
        ("add", paths) if !paths.is_empty() => Action::Add(paths.to_vec()),
        ("checkin", [kr, value]) => Action::Checkin {
            kr: kr.clone(),
            value: number(value)?,
            note: None,
        },
        ("checkin", [kr, value, note]) => Action::Checkin {
            kr: kr.clone(),
            value: number(value)?,
            note: Some(note.clone()),
        },
        ("done", [kr]) => Action::Done { kr: kr.clone() },
        ("set", [kr, field, value]) => Action::Set {
            kr: kr.clone(),
            field: field.clone(),
            value: number(value)?,
        },
        ("kpi", [slug, value]) => Action::Kpi {
            slug: slug.clone(),
            value: number(value)?,
        },
        ("touch", [path, msg]) => Action::Touch {
            path: path.clone(),
            message: msg.clone(),
        },
        (verb, _) => return Err(format!("unknown action or wrong arguments: `{verb}`").into()),
    };
    Ok(Entry {
        line,
        time: time.as_second(),
        author: author.clone(),
        action,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Quoted words, comments and messages are parsed; bad lines name their line number.
    #[test]
    fn parses_entries() {
        let text = "person bob \"Bob Li\" bob@x.example\n# c\n2026-07-08 09:30 bob checkin 2026-Q3/a/b#c 410 \"cache rollout\" # why\n";
        let t = parse(text).unwrap();
        assert_eq!(t.people["bob"].name, "Bob Li");
        assert_eq!(
            t.entries[0].action,
            Action::Checkin {
                kr: "2026-Q3/a/b#c".into(),
                value: 410.0,
                note: Some("cache rollout".into())
            }
        );
        let err = parse("person bob \"Bob\" b@x\n2026-13-01 09:30 bob done x#y\n").unwrap_err();
        assert!(err.to_string().contains(":2:"), "{err}");
    }
}
