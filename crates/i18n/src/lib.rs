//! The message catalogue: every string the console shows, in English, Japanese and Simplified
//! Chinese.
//!
//! Each entry names every language, so a missing translation does not compile. Placeholders
//! such as `{total}` are filled by the console (`I18n::fill`); the tests below check that each
//! language uses the same ones as English. A crate of its own, without dependencies, so that
//! those tests run natively while the console builds for wasm32 only.

/// A language the console speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ja,
    /// Simplified Chinese (简体中文), in the words of Alibaba Cloud IoT Platform's Chinese console.
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ja, Lang::Zh];

    /// The BCP 47 tag, used in `<html lang>` and stored as the user's choice.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
            Lang::Zh => "zh",
        }
    }

    /// The language's own name, for the switcher.
    pub const fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
            Lang::Zh => "简体中文",
        }
    }

    /// The language for a tag such as `ja-JP`, if we speak it. Only the primary subtag counts, so
    /// every Chinese tag (`zh-CN`, `zh-Hans`, `zh-SG`, `zh-TW`, `zh-HK`…) gets Simplified Chinese,
    /// the only Chinese we speak.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.tag() == primary)
    }
}

/// How each language writes dates and numbers.
impl Lang {
    /// A local date and time to the minute, as a chrono format: year first everywhere, with
    /// dashes in English and slashes as Alibaba Cloud's Japanese and Chinese consoles write it.
    pub const fn minute_format(self) -> &'static str {
        match self {
            Lang::En => "%Y-%m-%d %H:%M",
            Lang::Ja | Lang::Zh => "%Y/%m/%d %H:%M",
        }
    }

    /// The same to the second, for detail views.
    pub const fn second_format(self) -> &'static str {
        match self {
            Lang::En => "%Y-%m-%d %H:%M:%S",
            Lang::Ja | Lang::Zh => "%Y/%m/%d %H:%M:%S",
        }
    }

    /// A share in per mille as a percentage to one decimal: `80.8 %`, or `80.8%` where the
    /// language writes the sign without a space.
    pub fn percent(self, per_mille: u32) -> String {
        format!("{}.{}{}%", per_mille / 10, per_mille % 10, self.before_percent())
    }

    /// A whole percentage (`40 %`, `40%`), for what is only ever counted in whole percents.
    pub fn whole_percent(self, percent: u32) -> String {
        format!("{percent}{}%", self.before_percent())
    }

    const fn before_percent(self) -> &'static str {
        match self {
            Lang::En => " ",
            Lang::Ja | Lang::Zh => "",
        }
    }

    /// A count with its thousands grouped (`1,234,567`): all three languages group by three
    /// with a comma.
    pub fn count(self, n: u64) -> String {
        let digits = n.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        grouped
    }
}

/// Something the catalogue can say in every language.
pub trait Message: Copy {
    fn text(self, lang: Lang) -> &'static str;
}

/// Declares one area's messages: an enum whose every entry has every language.
macro_rules! catalogue {
    ($(#[$meta:meta])* $name:ident { $( $key:ident { en: $en:literal, ja: $ja:literal, zh: $zh:literal } )+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key),+ }

        impl $name {
            /// Every message of this catalogue, in the order declared.
            pub const ALL: &[Self] = &[$($name::$key),+];
        }

        impl $crate::Message for $name {
            fn text(self, lang: $crate::Lang) -> &'static str {
                use $crate::Lang;
                match (self, lang) {
                    $(
                        ($name::$key, Lang::En) => $en,
                        ($name::$key, Lang::Ja) => $ja,
                        ($name::$key, Lang::Zh) => $zh,
                    )+
                }
            }
        }
    };
}

mod analysis;
mod audit;
mod auth;
mod common;
mod forms;
mod safety;
mod wizard;

pub use analysis::AnalysisMsg;
pub use audit::AuditMsg;
pub use auth::AuthMsg;
pub use common::Msg;
pub use forms::FormMsg;
pub use safety::SafetyMsg;
pub use wizard::WizardMsg;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::fmt::Debug;

    use super::*;

    /// The names of a text's `{name}` placeholders.
    fn placeholders(text: &str) -> BTreeSet<&str> {
        let mut names = BTreeSet::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            names.insert(&after[..close]);
            rest = &after[close + 1..];
        }
        names
    }

    /// What is wrong with one catalogue: a message with an empty text in some language, or with
    /// placeholders other than the English ones.
    fn problems<M: Message + Debug>(catalogue: &str, all: &[M]) -> Vec<String> {
        let mut found = Vec::new();
        if all.is_empty() {
            found.push(format!("{catalogue} lists no message"));
        }
        for &msg in all {
            let english = placeholders(msg.text(Lang::En));
            for lang in Lang::ALL {
                let text = msg.text(lang);
                if text.trim().is_empty() {
                    found.push(format!("{catalogue}::{msg:?} has no {} text", lang.tag()));
                }
                let names = placeholders(text);
                if names != english {
                    found.push(format!(
                        "{catalogue}::{msg:?} in {}: placeholders {names:?}, English has {english:?}",
                        lang.tag()
                    ));
                }
            }
        }
        found
    }

    #[test]
    fn every_catalogue_has_every_language_with_the_english_placeholders() {
        let found = [
            problems("Msg", Msg::ALL),
            problems("AnalysisMsg", AnalysisMsg::ALL),
            problems("AuditMsg", AuditMsg::ALL),
            problems("AuthMsg", AuthMsg::ALL),
            problems("FormMsg", FormMsg::ALL),
            problems("SafetyMsg", SafetyMsg::ALL),
            problems("WizardMsg", WizardMsg::ALL),
        ]
        .concat();
        assert!(found.is_empty(), "{}", found.join("\n"));
    }

    #[test]
    fn placeholders_are_found_by_name() {
        assert_eq!(placeholders("{first}–{last} of {total}"), BTreeSet::from(["first", "last", "total"]));
        assert_eq!(placeholders("共 {total} 条，第 {first}–{last} 条"), BTreeSet::from(["first", "last", "total"]));
        assert!(placeholders("—").is_empty());
    }

    #[test]
    fn each_language_writes_times_percentages_and_counts_its_own_way() {
        assert_eq!(Lang::En.minute_format(), "%Y-%m-%d %H:%M");
        assert_eq!(Lang::Zh.second_format(), "%Y/%m/%d %H:%M:%S", "as 待推送（定时：2020/XX/XX XX:XX:XX）");
        assert_eq!(Lang::En.percent(808), "80.8 %");
        assert_eq!(Lang::Ja.percent(1000), "100.0%");
        assert_eq!(Lang::Zh.percent(5), "0.5%");
        assert_eq!(Lang::En.whole_percent(40), "40 %");
        assert_eq!(Lang::Ja.whole_percent(100), "100%");
        for (n, written) in [(0, "0"), (999, "999"), (1000, "1,000"), (123_456, "123,456"), (1_000_000, "1,000,000")] {
            for lang in Lang::ALL {
                assert_eq!(lang.count(n), written);
            }
        }
    }

    #[test]
    fn browser_tags_choose_a_language() {
        for tag in ["zh", "zh-CN", "zh-Hans", "zh-Hans-CN", "zh-SG", "zh-TW", "zh-HK", "zh-Hant", "zh_CN", "ZH-cn"] {
            assert_eq!(Lang::from_tag(tag), Some(Lang::Zh), "{tag}");
        }
        assert_eq!(Lang::from_tag("ja-JP"), Some(Lang::Ja));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr-FR"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn each_language_has_its_own_tag_and_name() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
            assert!(!lang.native_name().is_empty());
        }
        assert_eq!(Lang::Zh.native_name(), "简体中文");
    }
}
