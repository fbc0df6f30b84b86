//! What a benchmark phase cost: its best wall-clock and CPU times over several runs, and
//! the peak resident set size, read with `getrusage` (through `nix`, so without unsafe
//! code here). Used in the child process that runs one phase (see [`super::phase`]).
//!
//! `RUSAGE_SELF` covers this process (all its threads); `RUSAGE_CHILDREN` the children it
//! has waited for, which in a phase's fresh process are only the `git` runs it timed. The
//! peak (`ru_maxrss`) is the largest of the process's life, so one process measures one
//! phase. Without `getrusage` (Windows) CPU time and peak memory are `None`.

use crate::error::Error;
use std::time::{Duration, Instant};

/// Whose resources: this process's, or those of the children it has waited for.
#[derive(Debug, Clone, Copy)]
pub enum Who {
    Me,
    Children,
}

/// The best wall-clock and the best CPU time of one run (each the least of its kind).
#[derive(Debug, Clone, Copy, Default)]
pub struct Timing {
    pub wall: Duration,
    pub cpu: Option<Duration>,
}

impl Timing {
    /// The better of each kind; `None` (no run yet) counts as the worst.
    pub fn best(a: Option<Timing>, b: Timing) -> Timing {
        let Some(a) = a else { return b };
        Timing {
            wall: a.wall.min(b.wall),
            cpu: a.cpu.zip(b.cpu).map(|(x, y)| x.min(y)),
        }
    }
}

/// Runs `f` `runs` times (at least once): the best wall-clock and CPU times of one run
/// (CPU time of this process, or of the children it waited for during the run), and the
/// last run's value.
pub fn timed<T>(
    runs: usize,
    who: Who,
    mut f: impl FnMut() -> Result<T, Error>,
) -> Result<(Timing, T), Error> {
    let mut best = None;
    let mut last = None;
    for _ in 0..runs.max(1) {
        let before = cpu_time(who);
        let start = Instant::now();
        last = Some(f()?);
        let wall = start.elapsed();
        let cpu = before.zip(cpu_time(who)).map(|(a, b)| b.saturating_sub(a));
        best = Some(Timing::best(best, Timing { wall, cpu }));
    }
    match (best, last) {
        (Some(best), Some(last)) => Ok((best, last)),
        _ => Err(Error::Internal("no runs".into())),
    }
}

/// CPU time (user and system) so far.
#[cfg(unix)]
fn cpu_time(who: Who) -> Option<Duration> {
    let usage = rusage(who)?;
    let time = |t: nix::sys::time::TimeVal| {
        let micros = i128::from(t.tv_sec()) * 1_000_000 + i128::from(t.tv_usec());
        Duration::from_micros(u64::try_from(micros).unwrap_or(0))
    };
    Some(time(usage.user_time()) + time(usage.system_time()))
}

/// The peak resident set size so far, in bytes.
#[cfg(unix)]
pub fn peak_rss(who: Who) -> Option<u64> {
    let max = u64::try_from(rusage(who)?.max_rss()).ok()?;
    // `ru_maxrss` is in bytes on Apple's systems, in kilobytes everywhere else.
    if cfg!(any(target_os = "macos", target_os = "ios")) {
        Some(max)
    } else {
        Some(max.saturating_mul(1024))
    }
}

#[cfg(unix)]
fn rusage(who: Who) -> Option<nix::sys::resource::Usage> {
    use nix::sys::resource::{getrusage, UsageWho};
    getrusage(match who {
        Who::Me => UsageWho::RUSAGE_SELF,
        Who::Children => UsageWho::RUSAGE_CHILDREN,
    })
    .ok()
}

#[cfg(not(unix))]
fn cpu_time(_who: Who) -> Option<Duration> {
    None
}

#[cfg(not(unix))]
pub fn peak_rss(_who: Who) -> Option<u64> {
    None
}
