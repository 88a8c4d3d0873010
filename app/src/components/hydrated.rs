use leptos::prelude::*;

/// `false` when rendered on the server, `true` once this part of the page has hydrated in the
/// browser (effects run only there, after the component's hydration). Parts inside `Suspense`
/// hydrate after the page shell, so interactive parts mark themselves with `data-hydrated`.
pub fn use_hydrated() -> Signal<bool> {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    hydrated.into()
}

/// A full page load of `href` in the browser (the page's state is built afresh, the header shows
/// who is signed in now). Nothing on the server.
pub fn load_page(href: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(href);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = href;
}
