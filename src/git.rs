//! Reading files as they were at a git revision (`crdlint check --base REF`), through the `git`
//! executable: `git rev-parse` (the repository and the commit), `git grep` (which files of the
//! commit mention a CRD's name) and `git cat-file --batch` (their contents). The executable,
//! rather than a library, reads every repository the user's git reads (worktrees, alternates,
//! partial clones, new object formats) and adds no dependency; it must be on `PATH`.
//! Nothing here writes to the repository.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A repository, found from a directory inside it.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The directory git runs in (where the paths of the check are relative to).
    dir: PathBuf,
    /// The top of the work tree.
    pub top: PathBuf,
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    c
}

fn run(mut c: Command) -> Result<Output, String> {
    c.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "the git executable was not found on PATH".to_string(),
        _ => format!("cannot run git: {e}"),
    })
}

fn stderr_line(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("fatal: ")
        .to_string()
}

/// The repository that holds `dir`.
pub fn open(dir: &Path) -> Result<Repo, String> {
    let mut c = git(dir);
    c.args(["rev-parse", "--show-toplevel"]);
    let o = run(c)?;
    if !o.status.success() {
        return Err(format!(
            "{} is not in a git repository ({})",
            dir.display(),
            stderr_line(&o)
        ));
    }
    let top = String::from_utf8_lossy(&o.stdout).trim().to_string();
    Ok(Repo {
        dir: dir.to_path_buf(),
        top: PathBuf::from(top),
    })
}

impl Repo {
    /// The commit `rev` names (a branch, tag, `HEAD~2`, a hash), as a full id.
    pub fn resolve(&self, rev: &str) -> Result<String, String> {
        let unknown = || format!("unknown revision {rev:?}: no such commit in this repository");
        if rev.is_empty() || rev.starts_with('-') {
            return Err(unknown());
        }
        let mut c = git(&self.dir);
        c.args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
            .arg(format!("{rev}^{{commit}}"));
        let o = run(c)?;
        if !o.status.success() {
            return Err(unknown());
        }
        Ok(String::from_utf8_lossy(&o.stdout).trim().to_string())
    }

    /// The YAML and JSON files of `commit` (paths from the top of the repository) whose text
    /// contains one of `needles`.
    pub fn files_containing(&self, commit: &str, needles: &[&str]) -> Result<Vec<String>, String> {
        if needles.is_empty() {
            return Ok(Vec::new());
        }
        let mut c = git(&self.dir);
        c.args(["grep", "-l", "-z", "--full-name", "-F", "-I"]);
        for n in needles {
            c.arg("-e").arg(n);
        }
        c.args([commit, "--", ":/*.yaml", ":/*.yml", ":/*.json"]);
        let o = run(c)?;
        // 1: nothing found.
        match o.status.code() {
            Some(0) => {}
            Some(1) => return Ok(Vec::new()),
            _ => return Err(format!("git grep failed: {}", stderr_line(&o))),
        }
        let prefix = format!("{commit}:");
        Ok(o.stdout
            .split(|b| *b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| {
                let s = String::from_utf8_lossy(s);
                s.strip_prefix(&prefix).unwrap_or(&s).to_string()
            })
            .collect())
    }

    /// The contents of `paths` (from the top of the repository) at `commit`; files over `limit`
    /// bytes are left out.
    pub fn read_files(
        &self,
        commit: &str,
        paths: &[String],
        limit: u64,
    ) -> Result<Vec<(String, Vec<u8>)>, String> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let mut c = git(&self.dir);
        c.args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = c.spawn().map_err(|e| format!("cannot run git: {e}"))?;
        let mut stdin = child.stdin.take().ok_or("cannot write to git")?;
        let requests: String = paths.iter().map(|p| format!("{commit}:{p}\n")).collect();
        // Written from another thread, so a full output pipe cannot block the requests.
        let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
        let mut out = BufReader::new(child.stdout.take().ok_or("cannot read from git")?);
        let mut files = Vec::new();
        for p in paths {
            let mut header = String::new();
            out.read_line(&mut header)
                .map_err(|e| format!("cannot read from git: {e}"))?;
            let mut parts = header.split_whitespace();
            let (_, kind, size) = (parts.next(), parts.next(), parts.next());
            let Some(size) = size.and_then(|s| s.parse::<u64>().ok()) else {
                continue; // "<name> missing"
            };
            let mut body = Vec::new();
            (&mut out)
                .take(size + 1)
                .read_to_end(&mut body)
                .map_err(|e| format!("cannot read from git: {e}"))?;
            body.pop(); // the newline after the contents
            if kind == Some("blob") && size <= limit {
                files.push((p.clone(), body));
            }
        }
        let _ = writer.join();
        let _ = child.wait();
        Ok(files)
    }
}
