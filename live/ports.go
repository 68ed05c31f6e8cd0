package live

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"github.com/creack/pty"
	"go.bug.st/serial"
	"golang.org/x/term"
)

// OpenPort opens a serial port in raw mode at baud, 8N1.
func OpenPort(name string, baud int) (io.ReadWriteCloser, error) {
	p, err := serial.Open(name, &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// PTY is a pseudo-terminal for the application, reached through a link.
type PTY struct {
	master *os.File
	tty    *os.File // kept open so that the master does not fail while no application has the link open
	link   string
}

// OpenPTY creates a pseudo-terminal in raw mode (bytes pass unchanged: no
// echo, no line editing, no CR/LF translation) and a symbolic link to it
// at link. A link already there (left by a tap that was killed) is
// replaced; any other file is refused.
func OpenPTY(link string) (*PTY, error) {
	if st, err := os.Lstat(link); err == nil && st.Mode()&fs.ModeSymlink == 0 {
		return nil, fmt.Errorf("--pty %s exists and is not a link: give a free path", link)
	}
	master, tty, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("a pseudo-terminal: %w", err)
	}
	if _, err := term.MakeRaw(int(tty.Fd())); err != nil {
		master.Close()
		tty.Close()
		return nil, fmt.Errorf("%s: raw mode: %w", tty.Name(), err)
	}
	if master, err = pollable(master); err != nil {
		tty.Close()
		return nil, err
	}
	os.Remove(link) // a stale link, checked above
	if err := os.Symlink(tty.Name(), link); err != nil {
		master.Close()
		tty.Close()
		return nil, err
	}
	return &PTY{master: master, tty: tty, link: link}, nil
}

// Name is the pseudo-terminal's device, which the link points at.
func (p *PTY) Name() string { return p.tty.Name() }

func (p *PTY) Read(b []byte) (int, error)  { return p.master.Read(b) }
func (p *PTY) Write(b []byte) (int, error) { return p.master.Write(b) }

// Close removes the link and closes the pseudo-terminal.
func (p *PTY) Close() error {
	return errors.Join(os.Remove(p.link), p.master.Close(), p.tty.Close())
}

// pollable is f on a non-blocking descriptor of its own, which Go's poller
// serves: Close then ends a Read under way. pty.Open leaves the master
// blocking, and a Read of it would outlive Close.
func pollable(f *os.File) (*os.File, error) {
	defer f.Close()
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return nil, fmt.Errorf("a pseudo-terminal: %w", err)
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("a pseudo-terminal: %w", err)
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}
