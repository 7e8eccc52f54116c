//! What an operator may do to one task, by its state (§3.19–§3.21): the console offers
//! exactly these, and the server refuses the rest.

use crate::enums::TaskStatus;

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
