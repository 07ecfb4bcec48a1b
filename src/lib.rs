//! lazygrad
