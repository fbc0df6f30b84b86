//! A synthetic goal repository for benchmarks: years of quarterly plans, check-ins and
//! unrelated commits, written through `git fast-import` so 100k commits take seconds.

use crate::error::Error;
use crate::safe_fs;
use std::io::Write;
use std::path::Path;

/// Shape of the generated repository.
#[derive(Debug, Clone)]
pub struct SynthSpec {
    pub commits: usize,
    /// Share of commits that check in a goal (the rest touch other files).
    pub goal_share: f64,
    pub teams: usize,
    pub objectives_per_team: usize,
    pub seed: u64,
}

impl Default for SynthSpec {
    fn default() -> Self {
        SynthSpec {
            commits: 10_000,
            goal_share: 0.3,
            teams: 12,
            objectives_per_team: 3,
            seed: 42,
        }
    }
}

/// A small deterministic generator (xorshift64*), so the same spec gives the same repository.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// What the generator made.
pub struct SynthStats {
    pub commits: usize,
    pub goal_commits: usize,
}

fn objective_text(team: usize, n: usize, currents: &[u32; 3]) -> String {
    let mut s = format!("+++\ntitle = \"Objective {n} of team {team}\"\nowner = \"owner{team}\"\n");
    for (k, current) in currents.iter().enumerate() {
        s.push_str(&format!(
            "\n[[key_results]]\nid = \"kr{k}\"\ntitle = \"Metric {k} from 0 to 100\"\nstart = 0\ntarget = 100\ncurrent = {current}\n"
        ));
    }
    s.push_str("+++\n\nWhy this matters, in a paragraph of narrative text.\n");
    s
}

fn quarter_name(start_year: i32, quarter_index: usize) -> String {
    format!(
        "{}-Q{}",
        start_year + (quarter_index / 4) as i32,
        quarter_index % 4 + 1
    )
}

/// Writes one fast-import commit.
fn commit(
    out: &mut dyn Write,
    time: i64,
    message: &str,
    files: &[(String, String)],
) -> std::io::Result<()> {
    writeln!(out, "commit refs/heads/main")?;
    writeln!(out, "committer Bench Bot <bench@example.test> {time} +0000")?;
    writeln!(out, "data {}\n{message}", message.len())?;
    for (path, content) in files {
        writeln!(out, "M 100644 inline {path}")?;
        writeln!(out, "data {}\n{content}", content.len())?;
    }
    writeln!(out)
}

/// Generates the repository in `dir`, which must be empty or a staging folder carrying
/// bench's marker: a folder someone else made is never initialised or reset.
pub fn generate(dir: &Path, spec: &SynthSpec) -> Result<SynthStats, Error> {
    let empty = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .next()
        .is_none();
    if !empty && !safe_fs::is_marked(dir, &safe_fs::BENCH) {
        return Err(Error::Usage(format!(
            "refusing to generate a repository in {}: it is not empty and goalpost bench did not make it",
            dir.display()
        )));
    }
    crate::history::git_cli::fast_import(dir, |out| write_history(out, spec))
}

fn write_history(out: &mut dyn Write, spec: &SynthSpec) -> std::io::Result<SynthStats> {
    let mut rng = Rng(spec.seed.max(1));
    let start: i64 = 1_704_067_200; // 2024-01-01T00:00:00Z
    let quarters = 12usize;
    let span = quarters as i64 * 91 * 86_400;
    let step = (span / spec.commits.max(1) as i64).max(1);
    let per_quarter = spec.teams * spec.objectives_per_team;
    let mut currents: Vec<[u32; 3]> = vec![[0; 3]; per_quarter];
    let mut planned_quarter = usize::MAX;
    let mut stats = SynthStats {
        commits: 0,
        goal_commits: 0,
    };
    commit(
        out,
        start - 86_400,
        "Set up goals",
        &[(
            "goalpost.toml".into(),
            "[site]\ntitle = \"Bench goals\"\n".into(),
        )],
    )?;
    for i in 0..spec.commits.saturating_sub(1) {
        let time = start + i as i64 * step;
        let quarter = ((time - start) / (91 * 86_400)) as usize;
        let period = quarter_name(2024, quarter.min(quarters - 1));
        let path = |o: usize| {
            format!(
                "goals/{period}/team{}/objective{}.md",
                o / spec.objectives_per_team,
                o % spec.objectives_per_team
            )
        };
        let files: Vec<(String, String)>;
        let message: String;
        if quarter != planned_quarter {
            planned_quarter = quarter;
            currents.iter_mut().for_each(|c| *c = [0; 3]);
            files = (0..per_quarter)
                .map(|o| {
                    (
                        path(o),
                        objective_text(o / spec.objectives_per_team, o, &currents[o]),
                    )
                })
                .collect();
            message = format!("Plan {period}");
            stats.goal_commits += 1;
        } else if rng.chance(spec.goal_share) {
            let o = rng.below(per_quarter);
            let k = rng.below(3);
            // Past 100 the value wraps to 0 instead of staying at the target: every
            // check-in changes its file, so a goal commit stays a goal commit however long
            // the quarter (at 300,000 commits, values stuck at 100 made a third of the
            // check-ins change nothing, and the analysed share fell as the repository grew).
            currents[o][k] = (currents[o][k] + 1 + rng.below(3) as u32) % 101;
            files = vec![(
                path(o),
                objective_text(o / spec.objectives_per_team, o, &currents[o]),
            )];
            message = format!(
                "checkin: {period}/team{}/objective{}#kr{k}",
                o / spec.objectives_per_team,
                o % spec.objectives_per_team
            );
            stats.goal_commits += 1;
        } else {
            let module = rng.below(300);
            files = vec![(
                format!("src/module{module}.rs"),
                format!(
                    "// revision {i}\npub fn f{module}() -> u64 {{ {} }}\n",
                    rng.next() % 1000
                ),
            )];
            message = format!("Work on module {module}");
        }
        commit(out, time, &message, &files)?;
        stats.commits += 1;
    }
    stats.commits += 1;
    Ok(stats)
}
