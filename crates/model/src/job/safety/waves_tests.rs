use super::*;

fn waves(pairs: &[(&str, &str)]) -> Waves {
    let params: Params = pairs.iter().copied().collect();
    Waves::from_params(&params).unwrap().unwrap()
}

fn refused(pairs: &[(&str, &str)]) -> String {
    let params: Params = pairs.iter().copied().collect();
    let error = Waves::from_params(&params).unwrap_err();
    error.param.unwrap_or(error.code)
}

fn at(minutes: i64) -> UtcTime {
    UtcTime::from_millis(1_800_000_000_000 + minutes * 60_000).unwrap()
}

const STAGED: &[(&str, &str)] = &[
    ("Wave.1.Percent", "1"),
    ("Wave.2.Percent", "10"),
    ("Wave.3.Percent", "50"),
    ("WaveSuccessRate", "95"),
    ("WaveMinFinished", "20"),
];

#[test]
fn shares_and_counts_split_a_batch_and_the_rest_is_the_last_wave() {
    assert_eq!(waves(STAGED).split(500), [5, 50, 250, 195]);
    assert_eq!(waves(STAGED).split(10), [1, 1, 4, 4], "a share is at least one device");
    let counted = waves(&[("Wave.1.Count", "20"), ("Wave.2.Percent", "100"), ("WaveSuccessRate", "90")]);
    assert_eq!(counted.split(100), [20, 80], "each wave takes at most what is left");
    assert_eq!(counted.split(15), [15], "waves left empty are dropped");
    let whole = waves(&[("Wave.1.Percent", "50"), ("Wave.2.Percent", "50"), ("WavePromotion", "MANUAL")]);
    assert_eq!(whole.split(9), [4, 5], "shares that add up to 100 leave no rest");
}

#[test]
fn devices_are_drawn_into_waves_reproducibly() {
    let staged = waves(STAGED);
    let names: Vec<String> = (0..500).map(|i| format!("device-{i:03}")).collect();
    let devices: Vec<&str> = names.iter().map(String::as_str).collect();
    let drawn = staged.assign("job-1", &devices);
    assert_eq!(drawn, staged.assign("job-1", &devices), "the same batch draws the same waves");
    for (wave, size) in [(1, 5), (2, 50), (3, 250), (4, 195)] {
        assert_eq!(drawn.iter().filter(|w| **w == wave).count(), size);
    }
    assert!(drawn[..5].iter().any(|w| *w != 1), "not simply the first devices");
    assert_ne!(drawn, staged.assign("job-2", &devices), "another batch draws differently");
}

#[test]
fn a_wave_is_promoted_when_enough_finished_and_enough_succeeded() {
    let staged = waves(STAGED);
    let counts = |succeeded, failed| TaskCounts { total: 50, succeeded, failed, ..TaskCounts::default() };
    assert_eq!(staged.decide(&counts(18, 1), None, at(0)), WaveDecision::Wait, "19 finished: fewer than 20");
    assert_eq!(staged.decide(&counts(19, 1), None, at(0)), WaveDecision::Promote, "19 of 20 is exactly 95 %");
    assert_eq!(staged.decide(&counts(18, 2), None, at(0)), WaveDecision::Wait, "90 %");
    let small = TaskCounts { total: 5, succeeded: 5, ..TaskCounts::default() };
    assert_eq!(
        staged.decide(&small, None, at(0)),
        WaveDecision::Promote,
        "a wave smaller than the minimum needs all of it"
    );
    let emptied = TaskCounts { total: 5, canceled: 5, ..TaskCounts::default() };
    assert_eq!(
        staged.decide(&emptied, None, at(0)),
        WaveDecision::Promote,
        "a wave cancelled whole holds nothing back"
    );
}

#[test]
fn without_a_minimum_the_whole_wave_must_finish() {
    let whole = waves(&[("Wave.1.Count", "10"), ("WaveSuccessRate", "100")]);
    let counts = |succeeded, canceled| TaskCounts { total: 10, succeeded, canceled, ..TaskCounts::default() };
    assert_eq!(whole.decide(&counts(9, 0), None, at(0)), WaveDecision::Wait);
    assert_eq!(whole.decide(&counts(9, 1), None, at(0)), WaveDecision::Promote, "cancelled devices are not waited for");
}

#[test]
fn a_soak_time_runs_from_when_the_rule_first_held() {
    let soaked = waves(&[("Wave.1.Count", "10"), ("WaveSuccessRate", "90"), ("WaveSoakMinutes", "30")]);
    let done = TaskCounts { total: 10, succeeded: 10, ..TaskCounts::default() };
    assert_eq!(soaked.decide(&done, None, at(5)), WaveDecision::Soaking { since: at(5), until: at(35) });
    assert_eq!(soaked.decide(&done, Some(at(5)), at(34)), WaveDecision::Soaking { since: at(5), until: at(35) });
    assert_eq!(soaked.decide(&done, Some(at(5)), at(35)), WaveDecision::Promote, "exactly at its end");
    let spoiled = TaskCounts { failed: 2, succeeded: 8, ..done };
    assert_eq!(
        soaked.decide(&spoiled, Some(at(5)), at(40)),
        WaveDecision::Wait,
        "a rule that stops holding starts over"
    );
}

#[test]
fn manual_waves_wait_for_an_operator() {
    let manual = waves(&[("Wave.1.Percent", "10"), ("WavePromotion", "MANUAL")]);
    assert_eq!(manual.promotion, Promotion::Manual);
    let done = TaskCounts { total: 10, succeeded: 10, ..TaskCounts::default() };
    assert_eq!(manual.decide(&done, None, at(0)), WaveDecision::Wait);
}

#[test]
fn wave_parameters_are_checked_and_written_back() {
    assert_eq!(refused(&[("WaveSuccessRate", "95")]), "Wave.1.Percent");
    assert_eq!(refused(&[("Wave.1.Percent", "10")]), "WaveSuccessRate");
    assert_eq!(refused(&[("Wave.1.Percent", "0"), ("WaveSuccessRate", "95")]), "Wave.1.Percent");
    assert_eq!(refused(&[("Wave.1.Count", "0"), ("WaveSuccessRate", "95")]), "Wave.1.Count");
    assert_eq!(refused(&[("Wave.1.Count", "5"), ("Wave.1.Percent", "5"), ("WaveSuccessRate", "95")]), "Wave.1.Count");
    assert_eq!(
        refused(&[("Wave.1.Percent", "60"), ("Wave.2.Percent", "41"), ("WaveSuccessRate", "95")]),
        "Wave.N.Percent"
    );
    assert_eq!(refused(&[("Wave.1.Count", "5"), ("WaveSuccessRate", "101")]), "WaveSuccessRate");
    assert_eq!(
        refused(&[("Wave.1.Count", "5"), ("WaveSuccessRate", "95"), ("WaveSoakMinutes", "10081")]),
        "WaveSoakMinutes"
    );
    assert_eq!(
        refused(&[("Wave.1.Count", "5"), ("WavePromotion", "MANUAL"), ("WaveSuccessRate", "95")]),
        "WaveSuccessRate"
    );
    let many: Vec<(String, String)> = (1..=11).map(|i| (format!("Wave.{i}.Count"), "1".to_owned())).collect();
    let params: Params =
        many.iter().map(|(k, v)| (k.as_str(), v.as_str())).chain([("WaveSuccessRate", "95")]).collect();
    assert!(Waves::from_params(&params).is_err(), "at most ten waves");
    let staged = waves(STAGED);
    assert_eq!(Waves::from_params(&staged.to_params(Params::new())).unwrap().unwrap(), staged);
}

#[test]
fn the_console_writes_a_wave_as_a_share_or_a_count() {
    assert_eq!("1%".parse::<WaveSize>().unwrap().to_string(), "1%");
    assert_eq!(" 20 ".parse::<WaveSize>().unwrap(), WaveSize::Count(20));
    assert!("0%".parse::<WaveSize>().is_err());
    assert!("many".parse::<WaveSize>().is_err());
}
