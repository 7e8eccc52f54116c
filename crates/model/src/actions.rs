//! What an operator may do to one task, by its state (§3.19–§3.21): the console offers
//! exactly these, and the server refuses the rest.

use crate::enums::{SelectionType, TaskStatus};

/// An operator's action on one task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskAction {
    /// ConfirmOTATask: a task waiting for the app's confirmation goes ahead.
    Confirm,
    /// CancelOTATaskByDevice: an unfinished task ends, cancelled.
    Cancel,
    /// ReupgradeOTATask: a failed or cancelled task runs again.
    Reupgrade,
}

impl TaskAction {
    /// The operation that carries the action out (what a policy allows or not).
    pub const fn operation(self) -> &'static str {
        match self {
            TaskAction::Confirm => "ConfirmOTATask",
            TaskAction::Cancel => "CancelOTATaskByDevice",
            TaskAction::Reupgrade => "ReupgradeOTATask",
        }
    }

    /// The actions a task in `status` allows, in the order they are offered.
    pub const fn allowed(status: TaskStatus) -> &'static [TaskAction] {
        match status {
            TaskStatus::Confirm => &[TaskAction::Confirm, TaskAction::Cancel],
            TaskStatus::Queued | TaskStatus::Notified | TaskStatus::InProgress => &[TaskAction::Cancel],
            TaskStatus::Failed | TaskStatus::Canceled => &[TaskAction::Reupgrade],
            TaskStatus::Succeeded => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfinished_tasks_can_be_cancelled_and_only_waiting_ones_confirmed() {
        for status in [TaskStatus::Confirm, TaskStatus::Queued, TaskStatus::Notified, TaskStatus::InProgress] {
            assert!(TaskAction::allowed(status).contains(&TaskAction::Cancel), "{status:?}");
        }
        let confirmable: Vec<_> =
            TaskStatus::ALL.iter().filter(|s| TaskAction::allowed(**s).contains(&TaskAction::Confirm)).collect();
        assert_eq!(confirmable, [&TaskStatus::Confirm]);
    }

    #[test]
    fn finished_tasks_run_again_unless_they_succeeded() {
        assert_eq!(TaskAction::allowed(TaskStatus::Failed), [TaskAction::Reupgrade]);
        assert_eq!(TaskAction::allowed(TaskStatus::Canceled), [TaskAction::Reupgrade]);
        assert!(TaskAction::allowed(TaskStatus::Succeeded).is_empty());
    }
}

/// Tasks as the calls that confirm or re-run them take them: grouped by batch (ReupgradeOTATask
/// names one), at most [`crate::task::TASKS_PER_CALL`] a call, in the order given.
pub fn per_call(tasks: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    let mut calls: Vec<(String, Vec<String>)> = Vec::new();
    for (job_id, task_id) in tasks {
        match calls.iter_mut().rev().find(|(job, ids)| job == job_id && ids.len() < crate::task::TASKS_PER_CALL) {
            Some((_, ids)) => ids.push(task_id.clone()),
            None => calls.push((job_id.clone(), vec![task_id.clone()])),
        }
    }
    calls
}

#[cfg(test)]
mod per_call_tests {
    use super::*;

    #[test]
    fn tasks_go_ten_at_a_time_and_never_mix_batches() {
        let tasks: Vec<(String, String)> =
            (0..23).map(|i| (if i % 2 == 0 { "a" } else { "b" }.to_owned(), format!("t{i}"))).collect();
        let calls = per_call(&tasks);
        let shape: Vec<(&str, usize)> = calls.iter().map(|(job, ids)| (job.as_str(), ids.len())).collect();
        assert_eq!(shape, [("a", 10), ("b", 10), ("a", 2), ("b", 1)]);
        let all: Vec<&String> = calls.iter().flat_map(|(_, ids)| ids).collect();
        assert_eq!(all.len(), 23, "every task once");
    }
}

/// What cancelling a whole batch does (§7.5), as the console offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchCancel {
    /// A dynamic batch's policy stops: it takes on no more devices (CancelOTAStrategyByJob).
    pub stop_policy: bool,
    /// The task states cancelled (CancelOTATaskByJob); empty: none.
    pub states: Vec<TaskStatus>,
}

impl BatchCancel {
    /// States a dynamic batch's cancel may take along, for the operator to pick.
    pub const DYNAMIC_CHOICES: [TaskStatus; 4] =
        [TaskStatus::Confirm, TaskStatus::Queued, TaskStatus::Notified, TaskStatus::InProgress];

    /// A static batch's cancel ends every task not yet updating; devices already updating
    /// finish. A dynamic batch's stops its policy and cancels the states the operator picked.
    pub fn plan(selection: SelectionType, picked: &[TaskStatus]) -> Self {
        match selection {
            SelectionType::Static => {
                Self { stop_policy: false, states: vec![TaskStatus::Confirm, TaskStatus::Queued, TaskStatus::Notified] }
            }
            SelectionType::Dynamic => Self {
                stop_policy: true,
                states: Self::DYNAMIC_CHOICES.into_iter().filter(|s| picked.contains(s)).collect(),
            },
        }
    }

    /// Cancelling one state's tasks and nothing else (the batch page's "cancel all in this
    /// state"); only unfinished states can be cancelled.
    pub fn only(state: TaskStatus) -> Option<Self> {
        Self::DYNAMIC_CHOICES.contains(&state).then(|| Self { stop_policy: false, states: vec![state] })
    }

    /// The CancelOTATaskByJob flags for these states, if any are to be cancelled.
    pub fn request_states(&self) -> Option<crate::task::CancelStates> {
        let has = |state| self.states.contains(&state);
        (!self.states.is_empty()).then(|| crate::task::CancelStates {
            // In a batch that has not started, `scheduled` takes both waiting states along.
            scheduled: has(TaskStatus::Queued) && has(TaskStatus::Confirm),
            queued: has(TaskStatus::Queued),
            notified: has(TaskStatus::Notified),
            in_progress: has(TaskStatus::InProgress),
            unconfirmed: Some(has(TaskStatus::Confirm)),
        })
    }
}

#[cfg(test)]
mod batch_cancel_tests {
    use super::*;

    #[test]
    fn cancelling_a_static_batch_ends_what_has_not_started_updating() {
        let plan = BatchCancel::plan(SelectionType::Static, &[TaskStatus::InProgress]);
        assert!(!plan.stop_policy);
        assert_eq!(plan.states, [TaskStatus::Confirm, TaskStatus::Queued, TaskStatus::Notified]);
        let flags = plan.request_states().unwrap();
        assert_eq!(flags.states(false), plan.states, "the request cancels exactly those");
        assert_eq!(flags.states(true), plan.states, "also in a batch that has not started");
    }

    #[test]
    fn cancelling_a_dynamic_batch_stops_its_policy_and_only_the_picked_states() {
        let none = BatchCancel::plan(SelectionType::Dynamic, &[]);
        assert!(none.stop_policy);
        assert_eq!(none.request_states(), None);
        let picked = BatchCancel::plan(SelectionType::Dynamic, &[TaskStatus::InProgress, TaskStatus::Queued]);
        assert_eq!(picked.states, [TaskStatus::Queued, TaskStatus::InProgress]);
        assert_eq!(picked.request_states().unwrap().states(false), picked.states);
    }

    #[test]
    fn one_unfinished_state_can_be_cancelled_alone_even_before_the_batch_starts() {
        for state in BatchCancel::DYNAMIC_CHOICES {
            let flags = BatchCancel::only(state).unwrap().request_states().unwrap();
            assert_eq!(flags.states(false), [state], "{state:?}");
            assert_eq!(flags.states(true), [state], "{state:?} in a batch that has not started");
        }
        for finished in [TaskStatus::Succeeded, TaskStatus::Failed, TaskStatus::Canceled] {
            assert_eq!(BatchCancel::only(finished), None);
        }
    }
}
