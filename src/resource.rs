//! Resources built one way: `LocalResource` is generic over its fetcher and the fetcher's
//! future, so each resource made directly carries its own copy of Leptos's async machinery in
//! the wasm. Made here, the fetcher and its future are boxed, and that machinery exists once
//! per output type instead of once per resource.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;

type Fetch<T> = Pin<Box<dyn Future<Output = T>>>;

/// A `LocalResource` that runs `fetcher` whenever what it reads changes.
pub fn resource<T, Fut>(fetcher: impl Fn() -> Fut + 'static) -> LocalResource<T>
where
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    boxed(Rc::new(move || Box::pin(fetcher()) as Fetch<T>))
}

fn boxed<T: 'static>(fetcher: Rc<dyn Fn() -> Fetch<T>>) -> LocalResource<T> {
    LocalResource::new(move || fetcher())
}
