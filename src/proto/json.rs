//! A small JSON reader, for host tests and fuzzing only (built with `std`): they read the
//! `CONNECT` the core writes, and answer the core's `INFO` as the glue does. The shipped wasm
//! parses no JSON: the glue reads `INFO` with the browser's `JSON.parse` and hands the core
//! the fields it acts on (see `conn::handshake`). Depth is bounded so hostile input cannot
//! blow the stack.

use super::text;
use crate::prelude::*;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// Any number, as f64.
    Number(f64),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object; keys in document order.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The value of `key` when this is an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

const MAX_DEPTH: usize = 64;

/// Why a document did not parse: nothing more. Its one reader (INFO) reports a fixed message
/// either way, and the position and reason strings cost the wasm 0.6 KB for no one to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

/// Parses a complete JSON document.
pub fn parse(text: &str) -> Result<Value, Malformed> {
    let mut p = Reader {
        s: text.as_bytes(),
        i: 0,
    };
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(Malformed);
    }
    Ok(v)
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> bool {
        if self
            .s
            .get(self.i..)
            .is_some_and(|rest| rest.starts_with(lit))
        {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, Malformed> {
        if depth > MAX_DEPTH {
            return Err(Malformed);
        }
        self.ws();
        match self.s.get(self.i) {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') if self.eat(b"true") => Ok(Value::Bool(true)),
            Some(b'f') if self.eat(b"false") => Ok(Value::Bool(false)),
            Some(b'n') if self.eat(b"null") => Ok(Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(Malformed),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, Malformed> {
        self.i += 1;
        let mut fields = Vec::new();
        self.ws();
        if self.eat(b"}") {
            return Ok(Value::Object(fields));
        }
        loop {
            self.ws();
            if self.s.get(self.i) != Some(&b'"') {
                return Err(Malformed);
            }
            let key = self.string()?;
            self.ws();
            if !self.eat(b":") {
                return Err(Malformed);
            }
            let v = self.value(depth + 1)?;
            fields.push((key, v));
            self.ws();
            if self.eat(b",") {
                continue;
            }
            if self.eat(b"}") {
                return Ok(Value::Object(fields));
            }
            return Err(Malformed);
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, Malformed> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.eat(b"]") {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.ws();
            if self.eat(b",") {
                continue;
            }
            if self.eat(b"]") {
                return Ok(Value::Array(items));
            }
            return Err(Malformed);
        }
    }

    /// Numbers are read by hand: `f64::from_str` would add its large tables to the wasm, and
    /// INFO's numbers (ports, sizes, ids) need no more than f64 arithmetic gives.
    fn number(&mut self) -> Result<Value, Malformed> {
        let negative = self.eat(b"-");
        let mut value = 0f64;
        let mut digits = 0;
        while let Some(d) = self.digit() {
            value = value * 10.0 + d;
            digits += 1;
        }
        if self.eat(b".") {
            let mut scale = 0.1;
            while let Some(d) = self.digit() {
                value += d * scale;
                scale /= 10.0;
                digits += 1;
            }
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            let negative_exp = self.eat(b"-");
            if !negative_exp {
                self.eat(b"+");
            }
            let mut exp = 0i32;
            let mut exp_digits = 0;
            while let Some(d) = self.digit() {
                exp = exp.saturating_mul(10).saturating_add(d as i32);
                exp_digits += 1;
            }
            if exp_digits == 0 {
                return Err(Malformed);
            }
            // `powi` is not in `core`; past 10^400 an f64 is infinity (or 0) anyway.
            for _ in 0..exp.min(400) {
                value = if negative_exp {
                    value / 10.0
                } else {
                    value * 10.0
                };
            }
        }
        if digits == 0 {
            return Err(Malformed);
        }
        Ok(Value::Number(if negative { -value } else { value }))
    }

    fn digit(&mut self) -> Option<f64> {
        let d = self.s.get(self.i).filter(|b| b.is_ascii_digit())?;
        self.i += 1;
        Some(f64::from(d - b'0'))
    }

    fn hex4(&mut self) -> Result<u32, Malformed> {
        let digits = self.s.get(self.i..self.i + 4).ok_or(Malformed)?;
        let n = text::parse_digits(digits, 16).ok_or(Malformed)?;
        self.i += 4;
        Ok(n)
    }

    fn string(&mut self) -> Result<String, Malformed> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while !matches!(self.s.get(self.i), Some(b'"' | b'\\') | None) {
                self.i += 1;
            }
            let chunk =
                core::str::from_utf8(text::part(self.s, start..self.i)).map_err(|_| Malformed)?;
            out.push_str(chunk);
            match self.s.get(self.i) {
                None => return Err(Malformed),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                _ => {}
            }
            self.i += 1; // backslash
            let esc = *self.s.get(self.i).ok_or(Malformed)?;
            self.i += 1;
            match esc {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => {
                    let cp = self.hex4()?;
                    // A high surrogate joins the low one that follows; a lone surrogate
                    // (which a Rust string cannot hold) becomes U+FFFD, and whatever escape
                    // follows it is read on its own.
                    let low = self
                        .s
                        .get(self.i..self.i + 6)
                        .filter(|_| (0xD800..0xDC00).contains(&cp))
                        .and_then(|esc| esc.strip_prefix(b"\\u"))
                        .and_then(|digits| text::parse_digits(digits, 16))
                        .filter(|low| (0xDC00..0xE000).contains(low));
                    let cp = match low {
                        Some(low) => {
                            self.i += 6;
                            0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)
                        }
                        None => cp,
                    };
                    out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                }
                _ => return Err(Malformed),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    // Test code only (this module is compiled under cfg(test)): an unwrap or expect here is
    // an assertion; none runs in the shipped wasm or can be reached from network or user input.
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn parses_a_real_info() {
        let info = r#"{"server_id":"NABC","server_name":"n1","version":"2.14.6","proto":1,"go":"go1.24","host":"127.0.0.1","port":4222,"headers":true,"max_payload":1048576,"client_id":5,"client_ip":"127.0.0.1","connect_urls":["127.0.0.1:8080"],"ldm":false,"xkey":"X\u00e9\ud83d\ude00"}"#;
        let v = parse(info).unwrap();
        assert_eq!(
            v.get("max_payload").and_then(Value::as_f64),
            Some(1048576.0)
        );
        assert_eq!(v.get("headers").and_then(Value::as_bool), Some(true));
        assert_eq!(v.get("server_name").and_then(Value::as_str), Some("n1"));
        assert_eq!(v.get("xkey").and_then(Value::as_str), Some("Xé😀"));
        assert!(matches!(v.get("connect_urls"), Some(Value::Array(a)) if a.len() == 1));
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let cases = [
            (r#""\ud83d\ude00""#, "😀"),
            (r#""\uD83D\uDE00""#, "😀"),
            (r#""\ud83dx""#, "\u{fffd}x"),
            (r#""\ud83d\u0041""#, "\u{fffd}A"),
            (r#""\ude00\ud83d""#, "\u{fffd}\u{fffd}"),
            (r#""\ud83d\ud83d\ude00""#, "\u{fffd}😀"),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text).unwrap(), Value::String(want.into()), "{text}");
        }
    }

    #[test]
    fn numbers() {
        let cases = [
            ("0", 0.0),
            ("-12", -12.0),
            ("1048576", 1048576.0),
            ("2.5", 2.5),
            ("1e3", 1000.0),
            ("1.5E-2", 0.015),
            ("-0.25e+1", -2.5),
        ];
        for (text, want) in cases {
            let got = parse(text).unwrap().as_f64().unwrap();
            assert!((got - want).abs() < 1e-9, "{text}: {got}");
        }
        for bad in ["-", "1e", "--1", "."] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rejects_malformed_and_deep_input() {
        for bad in [
            "", "{", "{\"a\"}", "{\"a\":}", "[1,]", "\"abc", "{} x", "tru", "\"\\x\"", "-",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(10_000);
        assert!(parse(&deep).is_err());
    }
}
