//! The package's files: chosen in the browser (added to, one by one or several at once), each
//! listed with its size and whatever is wrong with it.

use leptos::prelude::*;
use ota_model::display;
use ota_model::firmware::form::{ChosenFile, PackageForm};
use web_sys::File;

use crate::components::FormProblems;
use crate::i18n::{FormMsg, Msg, use_i18n};

/// The browser's `File`s behind the form's chosen files, in the same order.
#[derive(Clone, Copy)]
pub struct ChosenFiles(StoredValue<Vec<File>, LocalStorage>);

impl ChosenFiles {
    pub fn new() -> Self {
        Self(StoredValue::new_local(Vec::new()))
    }

    pub fn get(self) -> Vec<File> {
        self.0.get_value()
    }
}

#[component]
pub fn FileList(form: RwSignal<PackageForm>, chosen: ChosenFiles, problems: FormProblems) -> impl IntoView {
    let i18n = use_i18n();
    let add = move |input: web_sys::HtmlInputElement| {
        let Some(list) = input.files() else { return };
        let picked: Vec<File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        chosen.0.update_value(|files| {
            for file in picked {
                // Choosing a file of the same name again replaces it.
                files.retain(|f| f.name() != file.name());
                files.push(file);
            }
        });
        form.update(|f| {
            f.files =
                chosen.get().iter().map(|file| ChosenFile { name: file.name(), size: file.size() as u64 }).collect();
        });
        // So that the same file can be chosen again after it is removed.
        input.set_value("");
        problems.touch("FirmwareUrl");
    };
    let remove = move |index: usize| {
        chosen.0.update_value(|files| {
            if index < files.len() {
                files.remove(index);
            }
        });
        form.update(|f| {
            if index < f.files.len() {
                f.files.remove(index);
            }
        });
        problems.touch("FirmwareUrl");
    };
    let rows = move || {
        form.with(|f| {
            f.files
                .iter()
                .enumerate()
                .map(|(i, file)| {
                    let param = f.file_param(i);
                    let error = move || problems.text_under("FirmwareUrl", &param);
                    let name = file.name.clone();
                    let remove_label = i18n.fill(FormMsg::RemoveFile, &[("name", &name)]);
                    view! {
                        <li>
                            <span class="file-name">{name}</span>
                            " " <span class="muted">{display::bytes(file.size)}</span>
                            <button type="button" class="link" aria-label=remove_label on:click=move |_| remove(i)>
                                {i18n.text(Msg::Remove)}
                            </button>
                            <p class="field-error">{error}</p>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    // Problems of the files as a whole: none chosen, or too many.
    let whole = move || {
        if form.with(|f| f.files.is_empty()) {
            problems.text_for("FirmwareUrl")
        } else {
            problems.text_under("FirmwareUrl", "MultiFiles.N")
        }
    };
    view! {
        <label for="pkg-files">{i18n.text(FormMsg::FilesLabel)}</label>
        <div>
            <input id="pkg-files" type="file" multiple aria-describedby="pkg-files-hint pkg-files-error"
                on:change:target=move |ev| add(ev.target())/>
            <p class="hint" id="pkg-files-hint">{i18n.text(FormMsg::FilesHint)}</p>
            <ul class="chosen-files">{rows}</ul>
            <p class="field-error" id="pkg-files-error">{whole}</p>
        </div>
    }
}
