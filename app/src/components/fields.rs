//! Form fields: a text, number, multi-line or choice cell bound to a signal, with its disabled
//! state and an error slot that shows the last save's error when it names this field. The forms
//! (declaration, monitoring, evaluation, administration) are made of these.

use crate::api::AppError;
use domain::vocab::{Field, ValueSet};
use leptos::prelude::*;

/// The error of a form's last save, shown next to the field it is about.
#[derive(Clone, Copy)]
pub struct FormErrors(Signal<Option<AppError>>);

impl FormErrors {
    /// The errors of a server action's last result.
    pub fn of<A>(action: ServerAction<A>) -> FormErrors
    where
        A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        A::Output: Send + Sync + 'static,
    {
        let value = action.value();
        FormErrors(Signal::derive(move || value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))))
    }

    /// The message to show next to `field`, if the last error is about it.
    pub fn message(self, field: Field) -> Option<String> {
        self.0.get().filter(|e| e.field() == Some(field)).map(|e| e.message())
    }
}

fn error_slot(field: Option<Field>, errors: Option<FormErrors>) -> impl IntoView {
    move || {
        let message = field.zip(errors).and_then(|(f, e)| e.message(f));
        message.map(|m| view! { <span class="field-error" role="alert">{m}</span> })
    }
}

/// A one-line text cell; `numeric` makes it a number cell (decimal keyboard, right-aligned).
#[component]
pub fn TextCell(
    value: RwSignal<String>,
    /// The accessible name (the column's header).
    #[prop(into)]
    label: String,
    #[prop(into, optional)] disabled: Signal<bool>,
    #[prop(optional)] numeric: bool,
    #[prop(into, optional)] placeholder: MaybeProp<String>,
    /// The field the server names in its errors.
    #[prop(optional)]
    field: Option<Field>,
    #[prop(optional)] errors: Option<FormErrors>,
) -> impl IntoView {
    let class = if numeric { "cell num" } else { "cell" };
    view! {
        <input class=class inputmode=numeric.then_some("decimal") aria-label=label placeholder=placeholder
            prop:disabled=move || disabled.get()
            aria-invalid=move || field.zip(errors).and_then(|(f, e)| e.message(f)).map(|_| "true")
            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
        {error_slot(field, errors)}
    }
}

/// A multi-line text cell.
#[component]
pub fn TextAreaCell(
    value: RwSignal<String>,
    #[prop(into)] label: String,
    #[prop(into, optional)] disabled: Signal<bool>,
    #[prop(into, optional)] placeholder: MaybeProp<String>,
    #[prop(optional)] field: Option<Field>,
    #[prop(optional)] errors: Option<FormErrors>,
    #[prop(default = 2)] rows: u32,
) -> impl IntoView {
    view! {
        <textarea class="cell" rows=rows aria-label=label placeholder=placeholder
            prop:disabled=move || disabled.get()
            aria-invalid=move || field.zip(errors).and_then(|(f, e)| e.message(f)).map(|_| "true")
            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        {error_slot(field, errors)}
    }
}

/// A choice of one value of a value set (or none), shown by label, sent by key.
#[component]
pub fn ChoiceCell<T>(
    value: RwSignal<Option<T>>,
    #[prop(into)] label: String,
    /// The text of the empty choice.
    #[prop(into)]
    none: String,
    #[prop(into, optional)] disabled: Signal<bool>,
    /// The values offered (default: all).
    #[prop(optional)]
    options: Option<&'static [T]>,
    #[prop(optional)] field: Option<Field>,
    #[prop(optional)] errors: Option<FormErrors>,
) -> impl IntoView
where
    T: ValueSet + Send + Sync,
{
    let initial = value.get_untracked();
    let options = options
        .unwrap_or(T::ALL)
        .iter()
        .map(|&v| {
            view! {
                <option value=v.key() selected=initial == Some(v) prop:selected=move || value.get() == Some(v)>
                    {v.label()}
                </option>
            }
        })
        .collect_view();
    view! {
        <select aria-label=label prop:disabled=move || disabled.get()
            on:change=move |ev| value.set(T::from_key(&event_target_value(&ev)))>
            <option value="" selected=initial.is_none() prop:selected=move || value.get().is_none()>{none}</option>
            {options}
        </select>
        {error_slot(field, errors)}
    }
}

/// A yes/no cell.
#[component]
pub fn CheckCell(
    value: RwSignal<bool>,
    #[prop(into)] label: String,
    #[prop(into, optional)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <input type="checkbox" aria-label=label prop:disabled=move || disabled.get()
            prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev))/>
    }
}
