//! Integration tests: real git repositories in temp dirs, the real binary.

mod architecture;
mod author;
mod bench;
mod browser;
mod check;
mod ci_action;
mod demo;
mod docs;
mod editors;
mod exact;
mod history;
mod man_completions;
mod packaging;
mod payloads;
mod period_figures;
mod review;
mod robust;
mod safety_checkin;
mod safety_output;
mod safety_outputs;
mod safety_templates;
mod sarif;
mod schema_parity;
mod site;
mod support;
