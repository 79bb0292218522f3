// enum State { Idle }

::core::compile_error! {
    "`#[derive(Reset)]` needs a struct, not an enum: it resets each field, and an enum's fields depend on its variant; implement `Reset` by hand (e.g. set the value back to the variant a fresh one starts as)"
}
const _: () = {
    #[automatically_derived]
    impl ::lanepool::__private::Reset for State {
        /// Resets each field of `State` for the next user (`#[derive(Reset)]`).
        #[inline]
        fn reset(&mut self) {}
    }
};
