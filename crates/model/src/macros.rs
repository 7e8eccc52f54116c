//! Declarative helpers for the API's closed sets of values.
//!
//! The API carries enums either as strings (`"IN_PROGRESS"`) or as integers (`Type: 1`). Each
//! macro declares a Rust enum together with its exact wire spelling, the spellings accepted on
//! input (vendor docs drift, e.g. `COMPLETE` vs `COMPLETED`), parsing from RPC parameters and
//! serde in both directions, so every enum behaves the same way everywhere.

/// An enum whose wire form is a string. `Variant = "WIRE" | "alias"…` lists the spelling we
/// emit first, then other spellings we accept.
macro_rules! wire_str_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling this project emits.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::enums::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $wire $(| $alias)* => Ok($name::$variant), )+
                    _ => Err($crate::enums::UnknownValue {
                        type_name: stringify!($name),
                        value: s.to_owned(),
                        expected: &[$($wire),+],
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// An enum whose wire form is an integer (`Variant = 1`).
macro_rules! wire_int_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The number on the wire.
            pub const fn code(self) -> i64 {
                match self { $($name::$variant => $wire),+ }
            }

            /// The value for a wire number, if it is one of ours.
            pub fn from_code(code: i64) -> Option<Self> {
                match code { $( $wire => Some($name::$variant), )+ _ => None }
            }

            fn unknown(value: String) -> $crate::enums::UnknownValue {
                $crate::enums::UnknownValue {
                    type_name: stringify!($name),
                    value,
                    expected: &[$(stringify!($wire)),+],
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::enums::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim()
                    .parse::<i64>()
                    .ok()
                    .and_then(Self::from_code)
                    .ok_or_else(|| Self::unknown(s.to_owned()))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.code())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = i64::deserialize(d)?;
                Self::from_code(code).ok_or_else(|| serde::de::Error::custom(Self::unknown(code.to_string())))
            }
        }
    };
}

/// List items in Alibaba's responses sit inside a wrapper object named after the item type
/// (`"Data": {"SimpleOTAJobInfo": [...]}`), a trace of the XML format. Each wrapper is a
/// one-field struct declared with this macro.
macro_rules! list_wrapper {
    ($(#[$meta:meta])* $name:ident { $field:literal: $item:ty }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            #[serde(rename = $field, default)]
            pub items: Vec<$item>,
        }
    };
}

/// An operation that takes no parameters of its own (`ListIotInstances`, `QueryOTAOverview`, …):
/// its `Operation` impl, the same each time.
macro_rules! parameterless_operation {
    ($name:ty, $action:literal, $response:ty) => {
        impl $crate::operation::Operation for $name {
            const ACTION: &'static str = $action;
            type Response = $response;

            fn to_params(&self) -> $crate::params::Params {
                $crate::params::Params::new()
            }

            fn from_params(_: &$crate::params::Params) -> Result<Self, $crate::params::ParamError> {
                Ok(Self)
            }
        }
    };
}
