//! Integration tests: real git repositories in temp dirs, the real binary.

mod architecture;
mod author;
mod bench;
mod browser;
mod check;
mod ci_action;
mod demo;
mod docs;
mod exact;
mod history;
mod packaging;
mod payloads;
mod period_figures;
mod review;
mod robust;
mod safety_checkin;
mod safety_output;
mod safety_outputs;
mod safety_templates;
mod site;
mod site_a11y;
mod site_feed;
mod support;
