//! Integration tests: real git repositories in temp dirs, the real binary.

mod author;
mod bench;
mod browser;
mod check;
mod commit_graph;
mod demo;
mod history;
mod payloads;
mod review;
mod robust;
mod safety_checkin;
mod safety_output;
mod safety_outputs;
mod safety_templates;
mod site;
mod support;
