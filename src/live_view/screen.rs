//! The real terminal: raw mode and the alternate screen while the view is up, the keys of
//! the live view, and a guarantee that the terminal comes back usable — on drop, and on a
//! panic in any thread while the screen is up.

use std::collections::VecDeque;
use std::io::{self, IsTerminal, Stdout};
use std::panic;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;
use std::time::Duration;

use crossterm::cursor::{Hide, Show};
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use super::draw::draw;
use super::snapshot::Snapshot;

/// A key of the live view, as the recorder should act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Stop recording cleanly: `q`, `Q`, Esc, or Ctrl-C (raw mode turns Ctrl-C into a key
    /// instead of SIGINT).
    Quit,
    /// Add a `marker` event: `m` or `M`.
    Marker,
}

/// The key a key press stands for, if any.
fn key_of(event: &KeyEvent) -> Option<Key> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    match event.code {
        KeyCode::Char('c') | KeyCode::Char('C')
            if event.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            Some(Key::Quit)
        }
        _ if event.modifiers.contains(KeyModifiers::CONTROL) => None,
        KeyCode::Char('q') | KeyCode::Char('Q') | KeyCode::Esc => Some(Key::Quit),
        KeyCode::Char('m') | KeyCode::Char('M') => Some(Key::Marker),
        _ => None,
    }
}

/// True while a [`Screen`] holds the terminal: the panic hook restores only then.
static SCREEN_UP: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// Leaves the alternate screen, shows the cursor and leaves raw mode; tries every step
/// even when one fails, and reports the first failure.
fn restore() -> io::Result<()> {
    let screen = execute!(io::stdout(), LeaveAlternateScreen, Show);
    let raw = disable_raw_mode();
    screen.and(raw)
}

/// Chains a hook that restores the terminal before the previous hook prints the panic, so
/// the message lands on a normal screen. Installed once per process.
fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if SCREEN_UP.swap(false, Ordering::SeqCst) {
                let _ = restore();
            }
            previous(info);
        }));
    });
}

/// The full-screen live view on the process's terminal.
///
/// [`Screen::enter`] switches the terminal to raw mode and the alternate screen; dropping
/// the `Screen` (or a panic anywhere while it is up) switches it back.
pub struct Screen {
    terminal: Terminal<CrosstermBackend<Stdout>>,
    pending: VecDeque<Key>,
}

impl Screen {
    /// Takes over the terminal: raw mode, alternate screen, hidden cursor.
    ///
    /// Fails when stdout is not a terminal that supports this; the terminal is then left
    /// as it was.
    pub fn enter() -> io::Result<Screen> {
        install_panic_hook();
        enable_raw_mode()?;
        SCREEN_UP.store(true, Ordering::SeqCst);
        let entered = execute!(io::stdout(), EnterAlternateScreen, Hide)
            .and_then(|()| Terminal::new(CrosstermBackend::new(io::stdout())));
        match entered {
            Ok(terminal) => Ok(Screen {
                terminal,
                pending: VecDeque::new(),
            }),
            Err(err) => {
                SCREEN_UP.store(false, Ordering::SeqCst);
                let _ = restore();
                Err(err)
            }
        }
    }

    /// Draws `snap`, following the terminal's size.
    pub fn draw(&mut self, snap: &Snapshot) -> io::Result<()> {
        self.terminal.draw(|frame| draw(frame, snap)).map(|_| ())
    }

    /// The next key the user pressed, without waiting.
    ///
    /// Reads every pending terminal event and queues the keys of the view; each call
    /// returns one, in the order pressed, so call it until it returns `None`.
    pub fn poll_key(&mut self) -> io::Result<Option<Key>> {
        while event::poll(Duration::ZERO)? {
            if let Event::Key(press) = event::read()? {
                self.pending.extend(key_of(&press));
            }
        }
        Ok(self.pending.pop_front())
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        if SCREEN_UP.swap(false, Ordering::SeqCst) {
            let _ = restore();
        }
    }
}

/// Whether stdout is a terminal, so that `--live` can take it over.
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> Option<Key> {
        key_of(&KeyEvent::new(code, modifiers))
    }

    #[test]
    fn keys_of_the_view() {
        let none = KeyModifiers::NONE;
        assert_eq!(press(KeyCode::Char('q'), none), Some(Key::Quit));
        assert_eq!(
            press(KeyCode::Char('Q'), KeyModifiers::SHIFT),
            Some(Key::Quit)
        );
        assert_eq!(press(KeyCode::Esc, none), Some(Key::Quit));
        assert_eq!(
            press(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Key::Quit)
        );
        assert_eq!(press(KeyCode::Char('m'), none), Some(Key::Marker));
        assert_eq!(
            press(KeyCode::Char('M'), KeyModifiers::SHIFT),
            Some(Key::Marker)
        );
        assert_eq!(press(KeyCode::Char('c'), none), None);
        assert_eq!(press(KeyCode::Char('m'), KeyModifiers::CONTROL), None);
        assert_eq!(press(KeyCode::Enter, none), None);
    }

    #[test]
    fn releases_are_not_presses() {
        let mut release = KeyEvent::new(KeyCode::Char('m'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(key_of(&release), None);
    }
}
