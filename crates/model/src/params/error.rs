//! Why a request was refused: the parameter at fault and the rule it broke.

use std::fmt;

use crate::codes;

/// Why a request was refused before anything was done: an Alibaba-style `Code` and an
/// English message naming the parameter, and for a form, the parameter and the rule it broke
/// (so that the console can say it in the user's language beside the field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub code: String,
    pub message: String,
    /// The parameter at fault, as the API names it (`MaximumPerMinute`, `Tags.2.Value`).
    pub param: Option<String>,
    pub rule: Rule,
}

/// The rule a value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Required, and not given.
    Missing,
    /// Too short or too long, in characters.
    Length { min: usize, max: usize },
    /// A character the value may not hold.
    Character { bad: char },
    /// A character the value may not start with.
    FirstCharacter { bad: char },
    /// A number outside its range (or not a whole number).
    Range { min: i64, max: i64 },
    /// More values than allowed.
    TooMany { max: usize },
    /// The same value twice.
    Duplicate { value: String },
    /// Values together longer than allowed, in characters.
    TotalLength { max: usize },
    /// Not one of the values allowed (an enum, a file type).
    OneOf { allowed: Vec<String> },
    /// A file larger than allowed.
    TooLarge { max_bytes: u64 },
    /// A file with nothing in it.
    EmptyFile,
    /// A time outside its window: `min_minutes` to `max_minutes` after now, or after the
    /// start (`from_start`).
    TimeRange { min_minutes: i64, max_minutes: i64, from_start: bool },
    /// Cannot be combined with the parameter `other`.
    NotWith { other: String },
    /// Must be less than the parameter `other`'s value.
    LessThan { other: String },
    /// Any other rule; the message says which.
    Other,
}

impl ParamError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into(), param: None, rule: Rule::Other }
    }

    pub fn missing(name: &str) -> Self {
        Self::new(codes::missing(name), format!("{name} is mandatory for this action.")).at(name, Rule::Missing)
    }

    pub fn invalid(name: &str, why: impl fmt::Display) -> Self {
        Self::new(codes::INVALID_PARAMETER, format!("The parameter {name} is invalid: {why}.")).at(name, Rule::Other)
    }

    /// `name` broke `rule`; `why` says it in English for the API's answer.
    pub fn broke(name: &str, rule: Rule, why: impl fmt::Display) -> Self {
        Self::invalid(name, why).at(name, rule)
    }

    fn at(mut self, name: &str, rule: Rule) -> Self {
        self.param = Some(name.to_owned());
        self.rule = rule;
        self
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ParamError {}
