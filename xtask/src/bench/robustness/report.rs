//! The robustness campaign's figures, as Markdown for docs/benchmarks.md.

use std::time::Duration;

use super::mqtt::Floods;
use super::{ApiFuzz, DISTURBANCE, HONEST_DEVICES, QUIET, SlowClients, TRICKLERS};
use crate::bench::api::percentile;

fn ms(times: &mut [Duration], q: f64) -> String {
    if times.is_empty() { "–".to_owned() } else { format!("{:.1} ms", percentile(times, q)) }
}

/// The campaign's section of docs/benchmarks.md.
pub(super) fn markdown(
    api: &ApiFuzz,
    again: &ApiFuzz,
    slow: &SlowClients,
    devices: &Floods,
    alive: bool,
    panics: usize,
    actions: usize,
) -> String {
    let mb = |v: Option<f64>| v.map_or("–".to_owned(), |v| format!("{v:.0} MB"));
    let verdict = |met: bool| if met { "met" } else { "**missed**" };
    let (mut quiet, mut disturbed) = (slow.quiet.clone(), slow.disturbed.clone());
    let (mut device_quiet, mut device_flood) = (devices.quiet.clone(), devices.flooded.clone());
    let mut text = format!(
        "### Fuzzed API calls\n\n{} calls over {actions} Actions in {:.0} s ({:.0} a second), 4 clients, each call with up to 12 random parameters (known names and junk, lists, records, duplicates; numbers out of range, 20,000-character text, unicode, control characters), 95 % signed.\n\n\
         | measure | target | result | |\n|---|---|---|---|\n\
         | answers 5xx | 0 | {} | {} |\n| server panics (log) | 0 | {panics} | {} |\n\
         | answers 2xx / 4xx | | {} / {} | |\n| connections the server closed (e.g. 414) | | {} | |\n\
         | server memory before → after | | {} → {} | |\n\
         | then {} other calls: answers 5xx | 0 | {} | {} |\n\
         | server memory after them | | {} | |\n",
        api.calls,
        api.took.as_secs_f64(),
        api.calls as f64 / api.took.as_secs_f64().max(0.001),
        api.server_errors,
        verdict(api.server_errors == 0),
        verdict(panics == 0),
        api.ok,
        api.client_errors,
        api.broken_connections,
        mb(api.rss_before_mb),
        mb(api.rss_after_mb),
        again.calls,
        again.server_errors,
        verdict(again.server_errors == 0),
        mb(again.rss_after_mb),
    );
    let examples: Vec<&String> = api.examples.iter().chain(&again.examples).collect();
    if !examples.is_empty() {
        text += &format!("\nFirst 5xx: {}.\n", examples.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", "));
    }
    text += &format!(
        "\n### Slow clients\n\n{TRICKLERS} connections each sending one byte of a request head every 0.5 s for {} s (cut off by the 10 s header timeout and opened again), while 2 honest clients call QueryOTACapabilities every 20 ms.\n\n\
         | honest calls | p50 | p99 | failed |\n|---|---:|---:|---:|\n\
         | alone ({} s) | {} | {} | |\n| during the trickle | {} | {} | {} |\n\nTrickling connections cut off: {}.\n",
        DISTURBANCE.as_secs(),
        QUIET.as_secs(),
        ms(&mut quiet, 0.5),
        ms(&mut quiet, 0.99),
        ms(&mut disturbed, 0.5),
        ms(&mut disturbed, 0.99),
        slow.honest_failures,
        slow.cut_off,
    );
    text += &format!(
        "\n### Fuzzed MQTT\n\n{HONEST_DEVICES} honest devices report progress twice a second (QoS 1); then for {} s: {}.\n\n\
         | honest reports (to PUBACK) | p50 | p99 | lost |\n|---|---:|---:|---:|\n\
         | before | {} | {} | |\n| during the floods | {} | {} | {} |\n\n\
         Refusals the server counted during the floods (`ota_refusals_total`): {}.\n\n\
         | measure | target | result | |\n|---|---|---|---|\n| server alive after all of it (`/healthz`) | yes | {} | {} |\n",
        DISTURBANCE.as_secs(),
        devices.what,
        ms(&mut device_quiet, 0.5),
        ms(&mut device_quiet, 0.99),
        ms(&mut device_flood, 0.5),
        ms(&mut device_flood, 0.99),
        devices.lost,
        devices.refusals,
        if alive { "yes" } else { "no" },
        verdict(alive),
    );
    text
}
