//! `cargo xtask bench analysis`: the data-analysis views on a fleet of 1,000,000 devices (on
//! 25 versions, `ota-server seed --load-test`) with a batch of 1,000,000 tasks. The latency of
//! the calls behind them against a release ota-server, and in Chromium the time from a chart's
//! data arriving to the chart first painted, ECharts' cold load included
//! (end2end/bench/analysis.mjs).
//!
//! Targets: p99 ≤ 50 ms for the version distribution and the success rate (the task statistics
//! of a package and of a batch); every chart painted ≤ 500 ms after its data.
//!
//! Seeding a million devices takes minutes; to try the bench quicker, set
//! `OTA_BENCH_ANALYSIS_DEVICES` and `OTA_BENCH_ANALYSIS_TASKS` (the report says the counts).

use std::path::Path;
use std::time::Instant;

use serde_json::Value;

use crate::project::{Failure, Project, seconds, step};
use crate::server::{Connection, TempDir, TestServer, signed};

const SEQUENTIAL: usize = 200;
const WARM_UPS: usize = 10;
const QUERY_P99_TARGET_MS: f64 = 50.0;
const PAINT_TARGET_MS: f64 = 500.0;
const FLEET: u32 = 1_000_000;

/// A call to measure, and whether the query target applies to it.
struct Query {
    name: String,
    path: String,
    targeted: bool,
}

/// A query's latencies in milliseconds, sorted.
struct Measured {
    query: Query,
    millis: Vec<f64>,
}

/// A version and how many devices report it.
type Group = (String, u64);

pub fn run(project: &Project, binary: &Path) -> Result<String, Failure> {
    let (devices, tasks) = (count("OTA_BENCH_ANALYSIS_DEVICES")?, count("OTA_BENCH_ANALYSIS_TASKS")?);
    let data = TempDir::new("ota-bench-analysis")?;
    let args = ["--devices".to_owned(), devices.to_string(), "--tasks".to_owned(), tasks.to_string()];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (fleet, seeded_in) = step(&format!("seed {devices} devices and a batch of {tasks} tasks"), || {
        super::seed_load_test(binary, &data, &args)
    })?;
    let field = |name: &str| fleet[name].as_str().unwrap_or_default().to_owned();
    let (product, firmware, job) = (field("ProductKey"), field("FirmwareId"), field("JobId"));
    let dist = project.dist();
    // The ECharts the console served, whose cold fetch and compile the chart timings include.
    let echarts = std::fs::metadata(dist.join("vendor/echarts/echarts.min.js")).map_or(0, |file| file.len());
    let server = TestServer::start_on(binary, data, &["--console-dir", &dist.to_string_lossy()])?;

    let queries = step("find the largest and smallest version groups", || queries(&server, &product, &firmware, &job))?;
    let mut measured = Vec::new();
    for query in queries {
        let millis = step(&format!("measure {}", query.name), || latencies(&server, &query.path))?;
        measured.push(Measured { query, millis });
    }
    let origin = format!("http://127.0.0.1:{}", server.port);
    let charts = super::node_json(
        project,
        "bench/analysis.mjs",
        &[&origin, &firmware, &job],
        &server.admin,
        "time the charts' first paint in Chromium (about a minute)",
    )?;
    drop(server);
    let intro = format!(
        "`ota-server seed --load-test --devices {devices} --tasks {tasks}`: {} devices reporting 25 \
         versions of the default module (five groups of 4–38 %, twenty of 0.3–1.2 %), a batch of {} \
         tasks from those versions (60 % succeeded, 15 % failed, 10 % cancelled, the rest unfinished) and 30 \
         small batches; seeded in {}. Release build, console served by it.\n\n",
        thousands(devices),
        thousands(tasks),
        seconds(seeded_in.as_secs_f64())
    );
    Ok(format!(
        "### Data analysis on {} devices\n\n{intro}{}\n{}",
        thousands(devices),
        query_table(&measured),
        chart_table(&charts, echarts)?
    ))
}

/// A count from the environment, a million unless set (to try the bench on less).
fn count(name: &str) -> Result<u32, Failure> {
    match std::env::var(name) {
        Err(_) => Ok(FLEET),
        Ok(text) => text.trim().parse().map_err(|_| Failure::new(format!("{name}={text} is not a count"), "unset it")),
    }
}

/// The calls of the analysis views, as the console makes them (`Top`, `MaxPoints` and the
/// device page size are its own).
fn queries(server: &TestServer, product: &str, firmware: &str, job: &str) -> Result<Vec<Query>, Failure> {
    let (largest, smallest) = version_groups(server, product)?;
    let query = |name: String, path: String, targeted: bool| Query { name, path, targeted };
    let devices_on = |(version, count): &Group| {
        query(
            format!("QueryDevice ModuleVersion={version} ({} devices), page 1 of 20", thousands(*count)),
            format!(
                "/?Action=QueryDevice&ProductKey={product}&ModuleName=default&ModuleVersion={version}&PageSize=20&CurrentPage=1"
            ),
            false,
        )
    };
    Ok(vec![
        query(
            "ListOTAVersionDistribution (the fleet, top 5)".into(),
            format!("/?Action=ListOTAVersionDistribution&ProductKey={product}&ModuleName=default&Top=5"),
            true,
        ),
        query(
            "QueryOTATaskStatistics FirmwareId (success rate of the package)".into(),
            format!("/?Action=QueryOTATaskStatistics&FirmwareId={firmware}"),
            true,
        ),
        query(
            "QueryOTATaskStatistics JobId (success rate of the large batch)".into(),
            format!("/?Action=QueryOTATaskStatistics&JobId={job}"),
            true,
        ),
        query(
            "ListOTAJobProgress (the large batch, 240 points)".into(),
            format!("/?Action=ListOTAJobProgress&JobId={job}&MaxPoints=240"),
            false,
        ),
        query(
            "ListOTASourceVersions FirmwareId".into(),
            format!("/?Action=ListOTASourceVersions&FirmwareId={firmware}"),
            false,
        ),
        query("ListOTARunningJobs (31 batches)".into(), "/?Action=ListOTARunningJobs".into(), false),
        query("ListOTAFailureReasons (whole instance)".into(), "/?Action=ListOTAFailureReasons".into(), false),
        query(
            "ListOTAFailureReasons JobId (the large batch)".into(),
            format!("/?Action=ListOTAFailureReasons&JobId={job}"),
            false,
        ),
        devices_on(&largest),
        devices_on(&smallest),
    ])
}

/// The fleet's largest and smallest version, with their device counts.
fn version_groups(server: &TestServer, product: &str) -> Result<(Group, Group), Failure> {
    let fail = |e: String| Failure::new(format!("the version distribution: {e}"), "cargo xtask bench analysis");
    let mut connection = Connection::open(server.port).map_err(|e| fail(e.to_string()))?;
    let path = format!("/?Action=ListOTAVersionDistribution&ProductKey={product}&ModuleName=default&Top=50");
    let (_, body) = connection.get(&signed(&path, &server.admin)).map_err(|e| fail(e.to_string()))?;
    let answer: Value = serde_json::from_slice(&body).map_err(|e| fail(e.to_string()))?;
    // Largest first.
    let groups: Vec<Group> = answer["Data"]["Versions"]["VersionCount"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|group| {
            (group["Version"].as_str().unwrap_or_default().to_owned(), group["DeviceCount"].as_u64().unwrap_or(0))
        })
        .collect();
    match (groups.first(), groups.last()) {
        (Some(largest), Some(smallest)) => Ok((largest.clone(), smallest.clone())),
        _ => Err(fail(format!("no versions: {}", String::from_utf8_lossy(&body)))),
    }
}

/// `SEQUENTIAL` requests on one kept-alive connection after `WARM_UPS`, in milliseconds, sorted;
/// each signed within its measured time.
fn latencies(server: &TestServer, path: &str) -> Result<Vec<f64>, Failure> {
    let fail = |e: String| Failure::new(e, format!("cargo xtask bench analysis ({path})"));
    let mut connection = Connection::open(server.port).map_err(|e| fail(e.to_string()))?;
    let mut millis = Vec::with_capacity(SEQUENTIAL);
    for i in 0..WARM_UPS + SEQUENTIAL {
        let started = Instant::now();
        let (status, body) = connection.get(&signed(path, &server.admin)).map_err(|e| fail(e.to_string()))?;
        if status != 200 {
            return Err(fail(format!("HTTP {status}: {}", String::from_utf8_lossy(&body))));
        }
        if i >= WARM_UPS {
            millis.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    millis.sort_by(f64::total_cmp);
    Ok(millis)
}

fn at(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

fn query_table(measured: &[Measured]) -> String {
    let mut table = format!(
        "#### The queries ({SEQUENTIAL} sequential requests each on one kept-alive connection, each signed, after \
         {WARM_UPS} warm-ups)\n\n\
         | call | p50 | p95 | p99 | max | target | |\n|---|---:|---:|---:|---:|---:|---|\n"
    );
    for Measured { query, millis } in measured {
        let p99 = at(millis, 0.99);
        let (target, met) = if query.targeted {
            (format!("p99 ≤ {QUERY_P99_TARGET_MS:.0} ms"), verdict(p99 <= QUERY_P99_TARGET_MS))
        } else {
            (String::new(), "")
        };
        table += &format!(
            "| {} | {:.2} ms | {:.2} ms | {p99:.2} ms | {:.2} ms | {target} | {met} |\n",
            query.name,
            at(millis, 0.5),
            at(millis, 0.95),
            at(millis, 1.0)
        );
    }
    table
}

/// What end2end/bench/analysis.mjs printed: per chart, its cold visits or why it had none;
/// `echarts` is the size of the ECharts script served, in bytes.
fn chart_table(timings: &Value, echarts: u64) -> Result<String, Failure> {
    let charts = timings["charts"].as_array().cloned().unwrap_or_default();
    let length = |chart: &Value, key: &str| chart[key].as_array().map_or(0, Vec::len);
    let visits = charts.iter().map(|chart| length(chart, "runs") + length(chart, "failures")).max().unwrap_or(0);
    if charts.iter().all(|chart| length(chart, "runs") == 0) {
        return Err(Failure::new("bench/analysis.mjs painted no chart", "cargo xtask bench analysis"));
    }
    let mut table = format!(
        "#### Chart first paint (Chromium, 1280×800)\n\n\
         {visits} visits per chart, each in a fresh browser context, so that ECharts ({} kB) is fetched and \
         compiled every time: from the end of the response carrying the chart's data (its `responseEnd` in \
         the page's Resource Timing) to the first animation frame in which the chart's canvas has a pixel \
         that is not transparent. Data arrived: that long after navigation. ECharts loaded: from the data to \
         the load event of ECharts' script (fetched and run), 0 when it had loaded before the data came; \
         the rest of the wait is drawing.\n\n\
         | chart | page | data arrived, p50 | ECharts loaded, p50 | data → painted, p50 | max | target | |\n\
         |---|---|---:|---:|---:|---:|---:|---|\n",
        (echarts + 500) / 1000
    );
    let mut failed = String::new();
    for chart in &charts {
        let name = format!("`{}` after {}", chart["selector"].as_str().unwrap_or_default(), text(&chart["action"]));
        let page = format!("`{}`", text(&chart["page"]));
        let sorted = |key: &str| {
            let mut values: Vec<f64> =
                chart["runs"].as_array().into_iter().flatten().filter_map(|run| run[key].as_f64()).collect();
            values.sort_by(f64::total_cmp);
            values
        };
        let (waits, arrivals, loads) = (sorted("wait"), sorted("dataAt"), sorted("echarts"));
        let failures: Vec<String> = chart["failures"].as_array().into_iter().flatten().map(text).collect();
        if let Some(why) = failures.first() {
            // The console's own words; its backticks would end a code span here.
            let why = why.replace('`', "'");
            let of = failures.len() + waits.len();
            failed += &format!("- {name}: {} of {of} visits drew no chart: “{why}”\n", failures.len());
        }
        if waits.is_empty() {
            let why = chart["missing"].as_str().map_or("every visit failed", |missing| missing);
            table += &format!("| {name} | {page} | | | not measured: {why} | | ≤ {PAINT_TARGET_MS:.0} ms | |\n");
            continue;
        }
        table += &format!(
            "| {name} | {page} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | ≤ {PAINT_TARGET_MS:.0} ms | {} |\n",
            at(&arrivals, 0.5),
            at(&loads, 0.5),
            at(&waits, 0.5),
            at(&waits, 1.0),
            verdict(failures.is_empty() && at(&waits, 1.0) <= PAINT_TARGET_MS)
        );
    }
    table += &format!(
        "\nTarget: every visit's chart painted ≤ {PAINT_TARGET_MS:.0} ms after its data (the max; a visit \
         without a chart misses it).\n"
    );
    if !failed.is_empty() {
        table += &format!("\nVisits without a chart (the times above are of the others):\n\n{failed}");
    }
    Ok(table)
}

/// 1000000 → 1,000,000.
fn thousands(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}
