//! A small CSV reader for the embedded data files (RFC 4180 quoting, `#` comment lines, header row).
//! Hand-written to keep the crate dependency-free; the files are small and checked by tests.

use crate::error::{MaterialsError, Result};

/// One parsed table: header names and rows of fields (all as text).
#[derive(Debug, Clone)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub what: String,
}

fn split_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => in_quotes = !in_quotes,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

/// Parses `text`; `what` names the file in error messages.
pub fn parse(text: &str, what: &str) -> Result<Table> {
    let mut lines = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    let header: Vec<String> = match lines.next() {
        Some(h) => split_line(h)
            .into_iter()
            .map(|s| s.trim().to_string())
            .collect(),
        None => {
            return Err(MaterialsError::invalid(
                what,
                "empty",
                "a CSV table with a header row",
            ))
        }
    };
    let mut rows = Vec::new();
    for (i, line) in lines.enumerate() {
        let fields = split_line(line);
        if fields.len() != header.len() {
            return Err(MaterialsError::invalid(
                format!("{what} row {}", i + 1),
                format!("{} fields", fields.len()),
                format!("{} fields as in the header", header.len()),
            ));
        }
        rows.push(fields.into_iter().map(|s| s.trim().to_string()).collect());
    }
    Ok(Table {
        header,
        rows,
        what: what.to_string(),
    })
}

impl Table {
    /// Index of a column, or an error naming the file.
    pub fn col(&self, name: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                MaterialsError::invalid(
                    format!("{} column", self.what),
                    name,
                    format!("one of {}", self.header.join(", ")),
                )
            })
    }

    /// A numeric field; empty is an error.
    pub fn num(&self, row: &[String], col: usize) -> Result<f64> {
        let text = row.get(col).map(String::as_str).unwrap_or("");
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                MaterialsError::invalid(
                    format!("{} {}", self.what, self.header.get(col).map_or("?", |s| s)),
                    format!("'{text}'"),
                    "a finite number",
                )
            })
    }

    /// A numeric field that may be empty.
    pub fn opt_num(&self, row: &[String], col: usize) -> Result<Option<f64>> {
        match row.get(col).map(String::as_str) {
            None | Some("") => Ok(None),
            Some(_) => self.num(row, col).map(Some),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_comments() {
        let t = parse("# c\na,b\n1,\"x, \"\"y\"\"\"\n", "t").unwrap();
        assert_eq!(t.rows[0][1], "x, \"y\"");
        assert_eq!(t.num(&t.rows[0], 0).unwrap(), 1.0);
    }

    #[test]
    fn ragged_row_is_an_error() {
        assert!(parse("a,b\n1\n", "t").is_err());
    }
}
