//! The API's rules for names, versions and free text: which characters, how many.
//!
//! Every rule is one [`TextRule`], so they all check and explain the same way.

use crate::params::{ParamError, Params, Rule};

/// What a text parameter may hold.
pub struct TextRule {
    pub min: usize,
    pub max: usize,
    /// Characters allowed anywhere.
    pub allowed: fn(char) -> bool,
    /// Characters allowed first, when stricter than `allowed`.
    pub first: Option<fn(char) -> bool>,
    /// The allowed characters, in words, for the error message.
    pub described: &'static str,
    /// What such a value is called, for the error message ("a version").
    pub noun: &'static str,
}

impl TextRule {
    /// Checks `value` of parameter `name`.
    pub fn check(&self, name: &str, value: &str) -> Result<(), ParamError> {
        let count = value.chars().count();
        if count < self.min || count > self.max {
            let bounds = if self.min == self.max {
                format!("exactly {}", self.min)
            } else {
                format!("{}–{}", self.min, self.max)
            };
            let rule = Rule::Length { min: self.min, max: self.max };
            return Err(ParamError::broke(name, rule, format!("{} has {bounds} characters", self.noun)));
        }
        if let Some(bad) = value.chars().find(|c| !(self.allowed)(*c)) {
            return Err(ParamError::broke(
                name,
                Rule::Character { bad },
                format!("'{bad}' may not appear in {} ({})", self.noun, self.described),
            ));
        }
        if let (Some(first), Some(c)) = (self.first, value.chars().next())
            && !first(c)
        {
            let why = format!("{} may not start with '{c}'", self.noun);
            return Err(ParamError::broke(name, Rule::FirstCharacter { bad: c }, why));
        }
        Ok(())
    }

    /// A required parameter that follows this rule.
    pub fn required<'a>(&self, params: &'a Params, name: &str) -> Result<&'a str, ParamError> {
        let value = params.required(name)?;
        self.check(name, value)?;
        Ok(value)
    }

    /// An optional parameter that follows this rule when given.
    pub fn optional<'a>(&self, params: &'a Params, name: &str) -> Result<Option<&'a str>, ParamError> {
        params.get(name).map(|value| self.check(name, value).map(|()| value)).transpose()
    }
}

fn ascii_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

fn any(_: char) -> bool {
    true
}

/// `DestVersion`, `SrcVersion`: 1–64 letters, digits, `.`, `-`, `_`.
pub const VERSION: TextRule = TextRule {
    min: 1,
    max: 64,
    allowed: ascii_word,
    first: None,
    described: "letters, digits, '.', '-', '_'",
    noun: "a version",
};

/// `FirmwareName`: 1–40 letters of any script, digits, `-`, `_`, `(`, `)`, starting with a
/// letter or digit.
pub const FIRMWARE_NAME: TextRule = TextRule {
    min: 1,
    max: 40,
    allowed: |c| c.is_alphanumeric() || matches!(c, '-' | '_' | '(' | ')'),
    first: Some(char::is_alphanumeric),
    described: "letters, digits, '-', '_', '(', ')'",
    noun: "a package name",
};

/// `ModuleName`, `AliasName`: 1–64 ASCII letters, digits, `.`, `-`, `_`.
pub const MODULE_NAME: TextRule = TextRule {
    min: 1,
    max: 64,
    allowed: ascii_word,
    first: None,
    described: "letters, digits, '.', '-', '_'",
    noun: "a module name",
};

/// `ProductName`: 4–30 letters of any script, digits, `_`, `-`, `@`, `(`, `)`, and spaces.
pub const PRODUCT_NAME: TextRule = TextRule {
    min: 4,
    max: 30,
    allowed: |c| c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | '(' | ')' | ' '),
    first: Some(|c| c != ' '),
    described: "letters, digits, '_', '-', '@', '(', ')', spaces",
    noun: "a product name",
};

/// `DeviceName`: 4–32 ASCII letters, digits, `-`, `_`, `@`, `.`, `:`.
pub const DEVICE_NAME: TextRule = TextRule {
    min: 4,
    max: 32,
    allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '@' | '.' | ':'),
    first: None,
    described: "letters, digits, '-', '_', '@', '.', ':'",
    noun: "a device name",
};

/// `GroupName`: 4–30 letters of any script, digits, `_`.
pub const GROUP_NAME: TextRule = TextRule {
    min: 4,
    max: 30,
    allowed: |c| c.is_alphanumeric() || c == '_',
    first: None,
    described: "letters, digits, '_'",
    noun: "a group name",
};

/// `Tag.N.Key`: 1–30 ASCII letters, digits, `.`.
pub const TAG_KEY: TextRule = TextRule {
    min: 1,
    max: 30,
    allowed: |c| c.is_ascii_alphanumeric() || c == '.',
    first: None,
    described: "letters, digits, '.'",
    noun: "a tag key",
};

/// `Tag.N.Value`: 1–1,024 characters.
pub const TAG_VALUE: TextRule =
    TextRule { min: 1, max: 1024, allowed: any, first: None, described: "any", noun: "a tag value" };

/// Descriptions (`FirmwareDesc`, `Desc`, `GroupDesc`): up to 100 characters.
pub const DESCRIPTION: TextRule =
    TextRule { min: 0, max: 100, allowed: any, first: None, described: "any", noun: "a description" };

/// Identifiers we issue (`FirmwareId`, `JobId`, `TaskId`, `IotId`, `ProductKey`, …).
pub const ID: TextRule = TextRule {
    min: 1,
    max: 64,
    allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '*'),
    first: None,
    described: "letters, digits, '-', '_', '.'",
    noun: "an ID",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_use_plain_characters() {
        assert_eq!(VERSION.check("DestVersion", "2.1.0-rc_1"), Ok(()));
        let err = VERSION.check("DestVersion", "1.0 beta").unwrap_err();
        assert_eq!(
            err.message,
            "The parameter DestVersion is invalid: ' ' may not appear in a version (letters, digits, '.', '-', '_')."
        );
        assert!(VERSION.check("DestVersion", &"1".repeat(65)).unwrap_err().message.contains("1–64 characters"));
    }

    #[test]
    fn package_names_follow_the_api_rule() {
        for good in ["sm200-main-3_2_0", "防犯カメラ_ファームウェア_520", "スマートメーター本体(β)", "1st"]
        {
            assert_eq!(FIRMWARE_NAME.check("FirmwareName", good), Ok(()), "{good}");
        }
        for bad in ["-lead", "has space", "dots.are.out", &"x".repeat(41), ""] {
            assert!(FIRMWARE_NAME.check("FirmwareName", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn device_and_product_names_have_a_minimum_length() {
        assert!(DEVICE_NAME.check("DeviceName", "abc").is_err());
        assert_eq!(DEVICE_NAME.check("DeviceName", "meter-0001@site:3"), Ok(()));
        assert_eq!(PRODUCT_NAME.check("ProductName", "Smart meter SM-200"), Ok(()));
        assert!(PRODUCT_NAME.check("ProductName", " lead").is_err());
    }

    #[test]
    fn tag_keys_are_short_and_plain() {
        assert_eq!(TAG_KEY.check("Tag.1.Key", "region.jp"), Ok(()));
        assert!(TAG_KEY.check("Tag.1.Key", "region-jp").is_err());
        assert!(TAG_VALUE.check("Tag.1.Value", &"v".repeat(1025)).is_err());
    }
}
