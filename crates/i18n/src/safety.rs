//! The messages of safe rollouts: the wizard's fields, the sentences that say what a batch's
//! rules will do, and the batch page's waves, pause and windows.

catalogue! {
    /// A message about waves, automatic pause or maintenance windows.
    SafetyMsg {
        Legend { en: "Safe rollout", ja: "安全なロールアウト", zh: "安全发布" }
        WavesOn { en: "Roll out in waves", ja: "ウェーブに分けて配信する", zh: "分波次发布" }
        WavesOnHint {
            en: "A small share of devices first; the next wave only once the one before shows the update works.",
            ja: "まず一部のデバイスに配信し、前のウェーブで問題がないことを確かめてから次のウェーブに進みます。",
            zh: "先发布到一小部分设备；只有前一波次表明升级可行后，才开始下一波次。"
        }
        PauseOnHint {
            en: "Stop pushing when too many of the latest devices fail; you decide how to go on.",
            ja: "直近のデバイスの失敗が多すぎるときプッシュを止め、続け方はオペレーターが決めます。",
            zh: "最近的设备失败过多时停止推送，由您决定如何继续。"
        }
        WindowsOnHint {
            en: "Outside these times no device is pushed; waiting devices say when the next window opens.",
            ja: "この時間帯以外はプッシュしません。待機中のデバイスには次の時間帯が表示されます。",
            zh: "在这些时段之外不推送任何设备；等待中的设备会显示下一个时段的开始时间。"
        }
        CancelPendingHint {
            en: "Otherwise they wait until the batch is resumed.",
            ja: "オフにすると、再開されるまで待機します。",
            zh: "否则它们将一直等待，直到批次恢复。"
        }
        WavesLabel { en: "Waves before the last", ja: "最後より前のウェーブ", zh: "最后一波之前的各波次" }
        WavesHint {
            en: "Shares such as 1%, 10%, 50% or device counts such as 20, 200, separated by commas. The devices left make the last wave.",
            ja: "1%, 10%, 50% のような割合か、20, 200 のような台数をカンマ区切りで。残りのデバイスが最後のウェーブになります。",
            zh: "比例（如 1%, 10%, 50%）或设备数（如 20, 200），以逗号分隔。剩余的设备构成最后一个波次。"
        }
        PromotionLabel { en: "The next wave starts", ja: "次のウェーブの開始", zh: "下一波次开始于" }
        PromotionAuto { en: "When the rule below holds", ja: "下の条件を満たしたとき", zh: "满足以下规则时" }
        PromotionManual { en: "When an operator starts it", ja: "オペレーターが開始したとき", zh: "由操作员开始时" }
        SuccessRateLabel { en: "Succeeded at least (%)", ja: "成功率の下限 (%)", zh: "成功率至少（%）" }
        MinFinishedLabel { en: "Of at least (finished devices)", ja: "完了デバイス数の下限", zh: "至少已完成的设备数" }
        MinFinishedHint { en: "Blank: every device of the wave.", ja: "空欄: ウェーブの全デバイス。", zh: "留空：该波次的全部设备。" }
        SoakLabel { en: "Held for (minutes)", ja: "維持時間 (分)", zh: "持续时间（分钟）" }
        SoakHint { en: "Blank: start at once.", ja: "空欄: すぐに開始。", zh: "留空：立即开始。" }
        PauseOn { en: "Pause automatically when devices fail", ja: "失敗が多いとき自動で一時停止する", zh: "设备失败时自动暂停" }
        FailureRateLabel { en: "Pause when more than (%) fail", ja: "失敗率がこれを超えたら一時停止 (%)", zh: "失败率超过此值时暂停（%）" }
        SampleLabel { en: "Of the last (finished devices)", ja: "直近の完了デバイス数", zh: "统计最近完成的设备数" }
        MinSampleLabel { en: "Judged from (finished devices)", ja: "判定に必要な完了デバイス数", zh: "开始判定所需的完成设备数" }
        ReasonsLegend { en: "Failures counted", ja: "数える失敗", zh: "计入的失败" }
        CancelPendingLabel { en: "Cancel the devices still waiting when it pauses", ja: "一時停止時に待機中のデバイスをキャンセルする", zh: "暂停时取消仍在等待的设备" }
        WindowsOn { en: "Push only in maintenance windows", ja: "メンテナンス時間帯にのみプッシュする", zh: "仅在维护时段内推送" }
        ZoneLabel { en: "Time zone", ja: "タイムゾーン", zh: "时区" }
        ZoneHint { en: "An IANA name such as Asia/Tokyo.", ja: "Asia/Tokyo のような IANA 名。", zh: "IANA 时区名称，例如 Asia/Shanghai。" }
        WindowLegend { en: "Window {n}", ja: "時間帯 {n}", zh: "时段 {n}" }
        WindowFrom { en: "From", ja: "開始", zh: "开始" }
        WindowTo { en: "To", ja: "終了", zh: "结束" }
        WindowToHint { en: "An end not after the start is on the next day.", ja: "開始より前の終了時刻は翌日です。", zh: "结束时间不晚于开始时间时，表示次日。" }
        AddWindow { en: "Add a window", ja: "時間帯を追加", zh: "添加时段" }
        RemoveWindow { en: "Remove window {n}", ja: "時間帯 {n} を削除", zh: "移除时段 {n}" }
        Mon { en: "Mon", ja: "月", zh: "周一" }
        Tue { en: "Tue", ja: "火", zh: "周二" }
        Wed { en: "Wed", ja: "水", zh: "周三" }
        Thu { en: "Thu", ja: "木", zh: "周四" }
        Fri { en: "Fri", ja: "金", zh: "周五" }
        Sat { en: "Sat", ja: "土", zh: "周六" }
        Sun { en: "Sun", ja: "日", zh: "周日" }

        SaysWaves { en: "In waves: {sizes}, then the rest", ja: "ウェーブ配信: {sizes}、その後に残り", zh: "分波次：{sizes}，然后是其余设备" }
        SaysPromoteAll {
            en: "continue when {rate} % of a whole wave have updated",
            ja: "ウェーブ全体の {rate} % が更新できたら次へ",
            zh: "整个波次有 {rate}% 升级成功后继续"
        }
        SaysPromote {
            en: "continue when {rate} % of at least {min} have updated",
            ja: "{min} 台以上のうち {rate} % が更新できたら次へ",
            zh: "至少 {min} 台中有 {rate}% 升级成功后继续"
        }
        SaysSoak { en: "for {minutes} minutes", ja: "その状態が {minutes} 分続いたら", zh: "（该状态需保持 {minutes} 分钟）" }
        SaysManual { en: "each next wave when an operator starts it", ja: "次のウェーブはオペレーターが開始", zh: "每个下一波次由操作员开始" }
        SaysPause {
            en: "pause if more than {rate} % of the last {sample} fail (judged from {min})",
            ja: "直近 {sample} 台のうち {rate} % を超えて失敗したら一時停止 ({min} 台から判定)",
            zh: "最近 {sample} 台中失败超过 {rate}% 时暂停（从 {min} 台起判定）"
        }
        SaysCancel { en: "and cancel the devices still waiting", ja: "待機中のデバイスはキャンセル", zh: "并取消仍在等待的设备" }
        SaysWindows { en: "only {windows} ({zone})", ja: "{windows} ({zone}) のみ", zh: "仅在 {windows}（{zone}）" }
        WaveSizes { en: "Devices per wave: {sizes}", ja: "ウェーブごとの台数: {sizes}", zh: "每个波次的设备数：{sizes}" }

        Heading { en: "Safe rollout", ja: "安全なロールアウト", zh: "安全发布" }
        WaveNumber { en: "Wave {n}", ja: "ウェーブ {n}", zh: "第 {n} 波次" }
        WaveRunning { en: "Running", ja: "実行中", zh: "进行中" }
        WaveWaiting { en: "Not started", ja: "未開始", zh: "未开始" }
        WaveStarted { en: "Started", ja: "開始済み", zh: "已开始" }
        WaveCounts {
            en: "{done} of {total} finished · {succeeded} succeeded · {failed} failed",
            ja: "{total} 台中 {done} 台完了 · 成功 {succeeded} · 失敗 {failed}",
            zh: "{total} 台中已完成 {done} 台 · 成功 {succeeded} · 失败 {failed}"
        }
        WaveNeeds {
            en: "Next wave when {needed} have finished with at least {rate} % succeeded",
            ja: "{needed} 台が完了し成功率が {rate} % 以上になったら次のウェーブ",
            zh: "当 {needed} 台完成且至少 {rate}% 成功时开始下一波次"
        }
        WaveSoaking { en: "The rule holds: the next wave starts at {time}", ja: "条件を満たしています: {time} に次のウェーブを開始", zh: "规则已满足：下一波次将于 {time} 开始" }
        WaveManualWait { en: "The next wave waits for an operator", ja: "次のウェーブはオペレーターの開始待ち", zh: "下一波次等待操作员开始" }
        PausedByRule {
            en: "Paused at {time}: {failed} of the last {sample} finished devices failed (more than {rate} %).",
            ja: "{time} に一時停止: 直近の完了 {sample} 台のうち {failed} 台が失敗しました ({rate} % 超)。",
            zh: "已于 {time} 暂停：最近完成的 {sample} 台设备中有 {failed} 台失败（超过 {rate}%）。"
        }
        PausedByOperator { en: "Paused by an operator at {time}.", ja: "{time} にオペレーターが一時停止しました。", zh: "操作员已于 {time} 暂停。" }
        PausedNote {
            en: "No device is pushed while paused; devices already updating finish.",
            ja: "一時停止中はプッシュしません。更新中のデバイスはそのまま完了します。",
            zh: "暂停期间不推送任何设备；已在升级的设备会完成升级。"
        }
        Paused { en: "Paused", ja: "一時停止中", zh: "已暂停" }
        AskResume {
            en: "Resume batch {job}? Waiting devices are pushed at its rate; failures so far are not judged again.",
            ja: "バッチ {job} を再開しますか? 待機中のデバイスにプッシュレートでプッシュします。これまでの失敗は再判定しません。",
            zh: "恢复批次 {job}？等待中的设备将按推送速率推送；此前的失败不会再次判定。"
        }
        AskPause {
            en: "Pause batch {job}? No device is pushed until it is resumed; devices already updating finish.",
            ja: "バッチ {job} を一時停止しますか? 再開するまでプッシュしません。更新中のデバイスはそのまま完了します。",
            zh: "暂停批次 {job}？恢复之前不推送任何设备；已在升级的设备会完成升级。"
        }
        AskNextWave {
            en: "Start wave {n} of batch {job} now, without waiting for its rule?",
            ja: "条件を待たずにバッチ {job} のウェーブ {n} を今すぐ開始しますか?",
            zh: "不等待规则，立即开始批次 {job} 的第 {n} 波次？"
        }
        AskCancelPending {
            en: "Cancel the devices of batch {job} still waiting (not yet pushed)? Devices already updating finish.",
            ja: "バッチ {job} のまだプッシュされていない待機中のデバイスをキャンセルしますか? 更新中のデバイスはそのまま完了します。",
            zh: "取消批次 {job} 中仍在等待（尚未推送）的设备？已在升级的设备会完成升级。"
        }
        WindowOpen { en: "A maintenance window is open: devices are pushed.", ja: "メンテナンス時間帯です: プッシュしています。", zh: "当前处于维护时段：正在推送设备。" }
        WindowClosed { en: "Outside maintenance windows: next from {time}.", ja: "メンテナンス時間外: 次回 {time} から。", zh: "不在维护时段内：下次从 {time} 开始。" }
    }
}
