//! RPC parameters: the flat `Name=value` pairs every operation is carried in, and the readers
//! that turn them into typed, validated requests.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use crate::codes;

/// The parameters of one request, in the order they were given. Lists are flattened as
/// `Name.1`, `Name.2`, … and structures as `Name.1.Field`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// Adds `name=value` (builder style).
    pub fn with(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.push(name, value.to_string());
        self
    }

    /// Adds `name=value` when there is a value.
    pub fn with_opt(self, name: &str, value: Option<impl fmt::Display>) -> Self {
        match value {
            Some(value) => self.with(name, value),
            None => self,
        }
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The first value given for `name`. An empty value counts as not given, as in the API.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// A parameter the operation cannot do without.
    pub fn required(&self, name: &str) -> Result<&str, ParamError> {
        self.get(name).ok_or_else(|| ParamError::missing(name))
    }

    /// A text parameter of at most `max_chars` characters.
    pub fn text(&self, name: &str, max_chars: usize) -> Result<Option<&str>, ParamError> {
        match self.get(name) {
            Some(value) if value.chars().count() > max_chars => Err(ParamError::invalid(
                name,
                format!("it is longer than {max_chars} characters"),
            )),
            value => Ok(value),
        }
    }

    /// A required text parameter of at most `max_chars` characters.
    pub fn required_text(&self, name: &str, max_chars: usize) -> Result<&str, ParamError> {
        self.text(name, max_chars)?
            .ok_or_else(|| ParamError::missing(name))
    }

    /// A parameter of any type that parses from text (numbers, booleans, the API enums).
    pub fn parse<T>(&self, name: &str) -> Result<Option<T>, ParamError>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        self.get(name)
            .map(|value| {
                value
                    .trim()
                    .parse::<T>()
                    .map_err(|e| ParamError::invalid(name, e))
            })
            .transpose()
    }

    /// An integer parameter within `range`.
    pub fn integer_in(
        &self,
        name: &str,
        range: RangeInclusive<i64>,
    ) -> Result<Option<i64>, ParamError> {
        match self.parse::<i64>(name)? {
            Some(n) if !range.contains(&n) => Err(ParamError::invalid(
                name,
                format!("{n} is outside {}–{}", range.start(), range.end()),
            )),
            n => Ok(n),
        }
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

/// Why a request was refused before anything was done: an Alibaba-style `Code` and an
/// English message naming the parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub code: String,
    pub message: String,
}

impl ParamError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
        }
    }

    pub fn missing(name: &str) -> Self {
        Self::new(
            codes::missing(name),
            format!("{name} is mandatory for this action."),
        )
    }

    pub fn invalid(name: &str, why: impl fmt::Display) -> Self {
        Self::new(
            codes::INVALID_PARAMETER,
            format!("The parameter {name} is invalid: {why}."),
        )
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ParamError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TaskStatus;

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs.iter().copied().collect()
    }

    #[test]
    fn an_empty_value_counts_as_missing() {
        let p = params(&[("FirmwareId", "")]);
        let err = p.required("FirmwareId").unwrap_err();
        assert_eq!(err.code, "MissingFirmwareId");
        assert_eq!(err.message, "FirmwareId is mandatory for this action.");
    }

    #[test]
    fn the_first_value_given_wins() {
        let p = params(&[("PageSize", "20"), ("PageSize", "50")]);
        assert_eq!(p.get("PageSize"), Some("20"));
    }

    #[test]
    fn malformed_numbers_and_enums_name_the_parameter() {
        let p = params(&[("PageSize", "ten"), ("TaskStatus", "DONE")]);
        let err = p.parse::<u32>("PageSize").unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
        assert!(
            err.message.starts_with("The parameter PageSize is invalid"),
            "{}",
            err.message
        );
        let err = p.parse::<TaskStatus>("TaskStatus").unwrap_err();
        assert!(
            err.message.contains("'DONE' is not one of CONFIRM"),
            "{}",
            err.message
        );
    }

    #[test]
    fn integers_outside_their_range_are_refused() {
        let p = params(&[("TimeoutInMinutes", "1441")]);
        let err = p.integer_in("TimeoutInMinutes", 1..=1440).unwrap_err();
        assert_eq!(
            err.message,
            "The parameter TimeoutInMinutes is invalid: 1441 is outside 1–1440."
        );
    }

    #[test]
    fn text_longer_than_allowed_is_refused_counting_characters_not_bytes() {
        let p = params(&[("FirmwareDesc", "更新パッケージ")]);
        assert_eq!(p.text("FirmwareDesc", 7).unwrap(), Some("更新パッケージ"));
        assert!(p.text("FirmwareDesc", 6).is_err());
    }
}
