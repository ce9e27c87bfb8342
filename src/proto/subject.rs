//! Subject and queue-name validation, done before anything is written so that a bad name can
//! never inject a second protocol operation or reach the server half-formed.

use super::error::{quoted, Error, ErrorCode};
use super::text;

/// Where a subject is used decides whether wildcards are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    /// A subject messages are published to (and reply subjects): no wildcard tokens.
    Publish,
    /// A subscription subject: `*` as a whole token anywhere, `>` as the whole last token.
    Subscribe,
}

/// Bytes that may never appear in a subject or queue name: they separate protocol arguments
/// (space, tab) or operations (CR, LF), or are other control characters.
fn is_forbidden(b: u8) -> bool {
    b <= b' ' || b == 0x7f
}

/// Checks `subject` for use as `kind`; the error says what is wrong.
pub fn validate_subject(subject: &str, kind: SubjectKind) -> Result<(), Error> {
    let bad = |why: &str| {
        Error::new(
            ErrorCode::BadSubject,
            text::concat(&["invalid subject ", &quoted(subject), ": ", why]),
        )
    };
    if subject.is_empty() {
        return Err(bad("it is empty"));
    }
    if subject.bytes().any(is_forbidden) {
        return Err(bad("whitespace and control characters are not allowed"));
    }
    // Bytes, not `str::split`: a char pattern links core's searcher into the wasm.
    let mut tokens = subject.as_bytes().split(|&b| b == b'.').peekable();
    while let Some(token) = tokens.next() {
        let last = tokens.peek().is_none();
        match token {
            b"" => return Err(bad("it has an empty token")),
            b"*" | b">" if kind == SubjectKind::Publish => {
                return Err(bad("wildcards are not allowed when publishing"))
            }
            b">" if !last => return Err(bad("'>' must be the last token")),
            _ => {}
        }
    }
    Ok(())
}

/// Checks a queue group name: non-empty, no whitespace or control characters.
pub fn validate_queue(queue: &str) -> Result<(), Error> {
    if queue.is_empty() || queue.bytes().any(is_forbidden) {
        return Err(Error::new(
            ErrorCode::BadSubject,
            text::concat(&[
                "invalid queue name ",
                &quoted(queue),
                ": it must be non-empty with no whitespace or control characters",
            ]),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use SubjectKind::*;

    #[test]
    fn accepts_valid_subjects() {
        for s in [
            "a",
            "foo.bar",
            "_INBOX.abc.def",
            "a-b_c.d:e",
            "ü.ñ",
            "a*b.c>d",
        ] {
            assert!(validate_subject(s, Publish).is_ok(), "{s}");
            assert!(validate_subject(s, Subscribe).is_ok(), "{s}");
        }
        for s in ["*", ">", "a.*", "a.>", "*.b.>", "a.*.c"] {
            assert!(validate_subject(s, Subscribe).is_ok(), "{s}");
        }
    }

    #[test]
    fn rejects_bad_subjects_with_bad_subject() {
        let bad = [
            "",
            " ",
            "a b",
            "a\tb",
            "a\r\nPUB x 1",
            "a\n",
            "a.",
            ".a",
            "a..b",
            "\0",
            "a\x7f",
        ];
        for s in bad {
            for kind in [Publish, Subscribe] {
                let err = validate_subject(s, kind).unwrap_err();
                assert_eq!(err.code, ErrorCode::BadSubject, "{s:?}");
            }
        }
    }

    #[test]
    fn wildcards_only_where_subscribing_allows() {
        for s in ["*", ">", "a.*", "a.>", "*.b"] {
            assert!(validate_subject(s, Publish).is_err(), "{s}");
        }
        for s in [">.a", "a.>.b"] {
            assert!(validate_subject(s, Subscribe).is_err(), "{s}");
        }
    }

    #[test]
    fn queue_names() {
        assert!(validate_queue("workers").is_ok());
        assert!(validate_queue("q.1").is_ok());
        for q in ["", "a b", "a\r\n", "\t"] {
            assert_eq!(validate_queue(q).unwrap_err().code, ErrorCode::BadSubject);
        }
    }
}
