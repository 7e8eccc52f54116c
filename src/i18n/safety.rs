//! The messages of safe rollouts: the wizard's fields, the sentences that say what a batch's
//! rules will do, and the batch page's waves, pause and windows.

catalogue! {
    /// A message about waves, automatic pause or maintenance windows.
    SafetyMsg {
        Legend { en: "Safe rollout", ja: "安全なロールアウト" }
        WavesOn { en: "Roll out in waves", ja: "ウェーブに分けて配信する" }
        WavesOnHint {
            en: "A small share of devices first; the next wave only once the one before shows the update works.",
            ja: "まず一部のデバイスに配信し、前のウェーブで問題がないことを確かめてから次のウェーブに進みます。"
        }
        PauseOnHint {
            en: "Stop pushing when too many of the latest devices fail; you decide how to go on.",
            ja: "直近のデバイスの失敗が多すぎるときプッシュを止め、続け方はオペレーターが決めます。"
        }
        WindowsOnHint {
            en: "Outside these times no device is pushed; waiting devices say when the next window opens.",
            ja: "この時間帯以外はプッシュしません。待機中のデバイスには次の時間帯が表示されます。"
        }
        CancelPendingHint {
            en: "Otherwise they wait until the batch is resumed.",
            ja: "オフにすると、再開されるまで待機します。"
        }
        WavesLabel { en: "Waves before the last", ja: "最後より前のウェーブ" }
        WavesHint {
            en: "Shares such as 1%, 10%, 50% or device counts such as 20, 200, separated by commas. The devices left make the last wave.",
            ja: "1%, 10%, 50% のような割合か、20, 200 のような台数をカンマ区切りで。残りのデバイスが最後のウェーブになります。"
        }
        PromotionLabel { en: "The next wave starts", ja: "次のウェーブの開始" }
        PromotionAuto { en: "When the rule below holds", ja: "下の条件を満たしたとき" }
        PromotionManual { en: "When an operator starts it", ja: "オペレーターが開始したとき" }
        SuccessRateLabel { en: "Succeeded at least (%)", ja: "成功率の下限 (%)" }
        MinFinishedLabel { en: "Of at least (finished devices)", ja: "完了デバイス数の下限" }
        MinFinishedHint { en: "Blank: every device of the wave.", ja: "空欄: ウェーブの全デバイス。" }
        SoakLabel { en: "Held for (minutes)", ja: "維持時間 (分)" }
        SoakHint { en: "Blank: start at once.", ja: "空欄: すぐに開始。" }
        PauseOn { en: "Pause automatically when devices fail", ja: "失敗が多いとき自動で一時停止する" }
        FailureRateLabel { en: "Pause when more than (%) fail", ja: "失敗率がこれを超えたら一時停止 (%)" }
        SampleLabel { en: "Of the last (finished devices)", ja: "直近の完了デバイス数" }
        MinSampleLabel { en: "Judged from (finished devices)", ja: "判定に必要な完了デバイス数" }
        ReasonsLegend { en: "Failures counted", ja: "数える失敗" }
        CancelPendingLabel { en: "Cancel the devices still waiting when it pauses", ja: "一時停止時に待機中のデバイスをキャンセルする" }
        WindowsOn { en: "Push only in maintenance windows", ja: "メンテナンス時間帯にのみプッシュする" }
        ZoneLabel { en: "Time zone", ja: "タイムゾーン" }
        ZoneHint { en: "An IANA name such as Asia/Tokyo.", ja: "Asia/Tokyo のような IANA 名。" }
        WindowLegend { en: "Window {n}", ja: "時間帯 {n}" }
        WindowFrom { en: "From", ja: "開始" }
        WindowTo { en: "To", ja: "終了" }
        WindowToHint { en: "An end not after the start is on the next day.", ja: "開始より前の終了時刻は翌日です。" }
        AddWindow { en: "Add a window", ja: "時間帯を追加" }
        RemoveWindow { en: "Remove window {n}", ja: "時間帯 {n} を削除" }
        Mon { en: "Mon", ja: "月" }
        Tue { en: "Tue", ja: "火" }
        Wed { en: "Wed", ja: "水" }
        Thu { en: "Thu", ja: "木" }
        Fri { en: "Fri", ja: "金" }
        Sat { en: "Sat", ja: "土" }
        Sun { en: "Sun", ja: "日" }

        SaysWaves { en: "In waves: {sizes}, then the rest", ja: "ウェーブ配信: {sizes}、その後に残り" }
        SaysPromoteAll {
            en: "continue when {rate} % of a whole wave have updated",
            ja: "ウェーブ全体の {rate} % が更新できたら次へ"
        }
        SaysPromote {
            en: "continue when {rate} % of at least {min} have updated",
            ja: "{min} 台以上のうち {rate} % が更新できたら次へ"
        }
        SaysSoak { en: "for {minutes} minutes", ja: "その状態が {minutes} 分続いたら" }
        SaysManual { en: "each next wave when an operator starts it", ja: "次のウェーブはオペレーターが開始" }
        SaysPause {
            en: "pause if more than {rate} % of the last {sample} fail (judged from {min})",
            ja: "直近 {sample} 台のうち {rate} % を超えて失敗したら一時停止 ({min} 台から判定)"
        }
        SaysCancel { en: "and cancel the devices still waiting", ja: "待機中のデバイスはキャンセル" }
        SaysWindows { en: "only {windows} ({zone})", ja: "{windows} ({zone}) のみ" }
        WaveSizes { en: "Devices per wave: {sizes}", ja: "ウェーブごとの台数: {sizes}" }

        Heading { en: "Safe rollout", ja: "安全なロールアウト" }
        WaveNumber { en: "Wave {n}", ja: "ウェーブ {n}" }
        WaveRunning { en: "Running", ja: "実行中" }
        WaveWaiting { en: "Not started", ja: "未開始" }
        WaveStarted { en: "Started", ja: "開始済み" }
        WaveCounts { en: "{done} of {total} finished · {succeeded} succeeded · {failed} failed", ja: "{total} 台中 {done} 台完了 · 成功 {succeeded} · 失敗 {failed}" }
        WaveNeeds {
            en: "Next wave when {needed} have finished with at least {rate} % succeeded",
            ja: "{needed} 台が完了し成功率が {rate} % 以上になったら次のウェーブ"
        }
        WaveSoaking { en: "The rule holds: the next wave starts at {time}", ja: "条件を満たしています: {time} に次のウェーブを開始" }
        WaveManualWait { en: "The next wave waits for an operator", ja: "次のウェーブはオペレーターの開始待ち" }
        PausedByRule {
            en: "Paused at {time}: {failed} of the last {sample} finished devices failed (more than {rate} %).",
            ja: "{time} に一時停止: 直近の完了 {sample} 台のうち {failed} 台が失敗しました ({rate} % 超)。"
        }
        PausedByOperator { en: "Paused by an operator at {time}.", ja: "{time} にオペレーターが一時停止しました。" }
        PausedNote {
            en: "No device is pushed while paused; devices already updating finish.",
            ja: "一時停止中はプッシュしません。更新中のデバイスはそのまま完了します。"
        }
        Paused { en: "Paused", ja: "一時停止中" }
        AskResume {
            en: "Resume batch {job}? Waiting devices are pushed at its rate; failures so far are not judged again.",
            ja: "バッチ {job} を再開しますか? 待機中のデバイスにプッシュレートでプッシュします。これまでの失敗は再判定しません。"
        }
        AskPause {
            en: "Pause batch {job}? No device is pushed until it is resumed; devices already updating finish.",
            ja: "バッチ {job} を一時停止しますか? 再開するまでプッシュしません。更新中のデバイスはそのまま完了します。"
        }
        AskNextWave {
            en: "Start wave {n} of batch {job} now, without waiting for its rule?",
            ja: "条件を待たずにバッチ {job} のウェーブ {n} を今すぐ開始しますか?"
        }
        AskCancelPending {
            en: "Cancel the devices of batch {job} still waiting (not yet pushed)? Devices already updating finish.",
            ja: "バッチ {job} のまだプッシュされていない待機中のデバイスをキャンセルしますか? 更新中のデバイスはそのまま完了します。"
        }
        WindowOpen { en: "A maintenance window is open: devices are pushed.", ja: "メンテナンス時間帯です: プッシュしています。" }
        WindowClosed { en: "Outside maintenance windows: next from {time}.", ja: "メンテナンス時間外: 次回 {time} から。" }
    }
}
