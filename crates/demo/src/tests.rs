//! Tests of the demo city.
