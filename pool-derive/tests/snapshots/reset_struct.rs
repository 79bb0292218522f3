// struct Scratch<T> where T: Clone { rows: Vec<T>, #[reset(skip)] generation: u64, #[reset(with = rewind)] cursor: usize }

const _: () = {
    #[automatically_derived]
    impl<T> ::lanepool::__private::Reset for Scratch<T>
    where
        T: Clone,
        Vec<T>: ::lanepool::__private::Reset,
    {
        /// Resets each field of `Scratch` for the next user (`#[derive(Reset)]`).
        #[inline]
        fn reset(&mut self) {
            ::lanepool::__private::Reset::reset(&mut self.rows);
            rewind(&mut self.cursor);
        }
    }
};
