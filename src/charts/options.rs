//! The console's kinds of chart as charming options, drawn in the theme's colours: a donut of
//! shares, horizontal stacked bars of task states, a histogram, and task states over time.
//! Colours come from the stylesheet's variables, so a chart matches the badges and bars
//! beside it in both themes.

use charming::Chart as Options;
use charming::component::{Axis, Grid, Legend};
use charming::datatype::DataPointItem;
use charming::element::{
    AreaStyle, AxisLabel, AxisType, ItemStyle, Label, LineStyle, SplitLine, TextStyle, Tooltip, Trigger,
};
use charming::series::{Bar, Line, Pie};
use ota_model::enums::TaskStatus;

use crate::theme::color;

/// The theme's colours, read once per drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub ink: String,
    pub ink_soft: String,
    pub line: String,
    /// Colours for series that are not task states, in order.
    pub series: Vec<String>,
}

impl Palette {
    /// The colours the theme in effect gives the stylesheet's variables.
    pub fn current() -> Self {
        Self {
            ink: color("--ink"),
            ink_soft: color("--ink-soft"),
            line: color("--line"),
            series: (1..=6).map(|n| color(&format!("--series-{n}"))).collect(),
        }
    }

    /// A task state's colour, as its badges and bars have it.
    pub fn state(status: TaskStatus) -> String {
        color(&format!("--state-{}", status.as_str().to_ascii_lowercase()))
    }

    /// The `n`th series colour, round again after the last.
    pub fn nth(&self, n: usize) -> String {
        self.series.get(n % self.series.len().max(1)).cloned().unwrap_or_default()
    }
}

/// One slice, bar or series: its name as shown and its colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub name: String,
    pub color: String,
}

fn legend(palette: &Palette) -> Legend {
    Legend::new().top("bottom").text_style(TextStyle::new().color(palette.ink.as_str()))
}

/// Whether the operator asked their system for less motion: charts then appear without animating.
fn reduced_motion() -> bool {
    leptos::prelude::window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}

fn base(palette: &Palette, trigger: Trigger) -> Options {
    Options::new()
        .animation(!reduced_motion())
        .background_color("transparent")
        .tooltip(Tooltip::new().trigger(trigger))
        .legend(legend(palette))
}

fn value_axis(palette: &Palette) -> Axis {
    Axis::new()
        .type_(AxisType::Value)
        .axis_label(AxisLabel::new().color(palette.ink_soft.as_str()))
        .split_line(SplitLine::new().line_style(LineStyle::new().color(palette.line.as_str())))
        .min_interval(1)
}

fn category_axis(palette: &Palette, names: Vec<String>) -> Axis {
    Axis::new().type_(AxisType::Category).axis_label(AxisLabel::new().color(palette.ink_soft.as_str())).data(names)
}

/// Shares of a whole as a donut; the legend names each slice.
pub fn donut(palette: &Palette, name: &str, slices: Vec<(Named, u64)>) -> Options {
    let data: Vec<DataPointItem> = slices
        .into_iter()
        .map(|(slice, count)| {
            DataPointItem::new(count as f64).name(slice.name).item_style(ItemStyle::new().color(slice.color))
        })
        .collect();
    base(palette, Trigger::Item).series(
        Pie::new()
            .name(name)
            .radius(vec!["40%", "68%"])
            .center(vec!["50%", "45%"])
            .label(Label::new().color(palette.ink.as_str()))
            .data(data),
    )
}

/// One bar per category, in one colour.
pub fn histogram(palette: &Palette, name: &str, bars: Vec<(String, u64)>, color: &str) -> Options {
    let (names, values): (Vec<String>, Vec<f64>) = bars.into_iter().map(|(name, n)| (name, n as f64)).unzip();
    base(palette, Trigger::Axis)
        .grid(Grid::new().contain_label(true).left(8).right(16).top(16).bottom(40))
        .x_axis(category_axis(palette, names))
        .y_axis(value_axis(palette))
        .series(Bar::new().name(name).item_style(ItemStyle::new().color(color)).data(values))
}

/// One horizontal bar per category, stacked from the series (e.g. a batch's tasks by state).
pub fn stacked_bars(palette: &Palette, categories: Vec<String>, series: Vec<(Named, Vec<u64>)>) -> Options {
    let mut options = base(palette, Trigger::Axis)
        .grid(Grid::new().contain_label(true).left(8).right(16).top(8).bottom(56))
        .x_axis(value_axis(palette))
        .y_axis(category_axis(palette, categories).inverse(true));
    for (named, values) in series {
        let values: Vec<f64> = values.into_iter().map(|n| n as f64).collect();
        options = options.series(
            Bar::new().name(named.name).stack("total").item_style(ItemStyle::new().color(named.color)).data(values),
        );
    }
    options
}

/// Stacked areas over time: `times` label the points, each series has one value per point.
pub fn stacked_areas(palette: &Palette, times: Vec<String>, series: Vec<(Named, Vec<u64>)>) -> Options {
    let mut options = base(palette, Trigger::Axis)
        .grid(Grid::new().contain_label(true).left(8).right(16).top(16).bottom(56))
        .x_axis(category_axis(palette, times).boundary_gap(false))
        .y_axis(value_axis(palette));
    for (named, values) in series {
        let values: Vec<f64> = values.into_iter().map(|n| n as f64).collect();
        options = options.series(
            Line::new()
                .name(named.name)
                .stack("total")
                .show_symbol(false)
                .line_style(LineStyle::new().color(named.color.as_str()))
                .item_style(ItemStyle::new().color(named.color.as_str()))
                .area_style(AreaStyle::new().color(named.color))
                .data(values),
        );
    }
    options
}
