//! Integration tests: real git repositories in temp dirs, the real binary.

mod author;
mod bench;
mod browser;
mod check;
mod demo;
mod history;
mod review;
mod robust;
mod safety_templates;
mod site;
mod support;
