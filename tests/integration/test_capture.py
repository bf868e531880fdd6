"""natlab capture: packets of lab interfaces through libpcap, judged by
Wireshark's own reader (tshark): the pcapng names each interface NODE:IFACE,
holds what crossed each one, and ends complete on Ctrl-C; written to stdout it
pipes into a reader; without a file each packet is a line."""
import signal
import subprocess
import time
import unittest

from nat_packets import UDP_SEND, run
from natlab_test import NATLAB, LabTestCase, lab_file, natlab, unique_name


def tshark(*args, input=None):
    proc = subprocess.run(["tshark", *args], capture_output=True, input=input, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()


def start_capture(*args):
    """natlab capture ..., once it says it is capturing."""
    proc = subprocess.Popen([NATLAB, "capture", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = proc.stderr.readline().decode()
    assert "capturing on" in line, line + proc.stderr.read().decode()
    return proc


class Capture(LabTestCase):
    def setUp(self):
        self.lab = self.create(lab_file("two-nat.yaml"), unique_name("it-cap"))

    def test_a_pcapng_file_names_each_interface_and_holds_what_crossed_it(self):
        path = f"/tmp/{self.lab}.pcapng"
        self.addCleanup(lambda: subprocess.run(["rm", "-f", path]))
        proc = start_capture(self.lab, "nat0:lan", "nat0:wan", "-w", path, "--filter", "udp port 4000")
        run(f"{self.lab}-c0", UDP_SEND, 5000, "100.64.2.100", 4000, "through")  # three datagrams
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn(b"natlab capture: 6 packets", err)
        rows = [row.split("\t", 1) for row in
                tshark("-r", path, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.interface_name",
                       "-e", "ip.src", "-e", "udp.srcport", "-e", "ip.dst").splitlines()]
        self.assertEqual(sorted(packet for _, packet in rows),
                         ["nat0:lan\t10.0.1.2\t5000\t100.64.2.100"] * 3 +
                         ["nat0:wan\t100.64.1.100\t5000\t100.64.2.100"] * 3)
        # In the order of the kernel's timestamps (a received packet is stamped
        # when its sender queued it, so a burst's inside copies may come first).
        times = [float(time) for time, _ in rows]
        self.assertEqual(times, sorted(times))

    def test_pcapng_on_stdout_pipes_into_a_reader(self):
        capture = subprocess.Popen([NATLAB, "capture", self.lab, "nat0:wan", "-w", "-", "--count", "2",
                                    "--filter", "icmp"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertIn(b"capturing on nat0:wan", capture.stderr.readline())
        natlab("exec", self.lab, "c0", "--", "ping", "-c1", "-W2", "100.64.2.100")
        out, _ = capture.communicate(timeout=10)
        rows = tshark("-r", "-", "-T", "fields", "-e", "frame.interface_name", "-e", "icmp.type",
                      input=out).splitlines()
        self.assertEqual(rows, ["nat0:wan\t8", "nat0:wan\t0"])

    def test_without_a_file_each_packet_is_a_line(self):
        proc = start_capture(self.lab, "nat0:wan", "--count", "1", "--filter", "icmp")
        natlab("exec", self.lab, "c0", "--", "ping", "-c1", "-W2", "100.64.2.100")
        out, err = proc.communicate(timeout=10)
        self.assertEqual(proc.returncode, 0, err)
        self.assertRegex(out.decode(), r"^\d\d:\d\d:\d\d\.\d{6} nat0:wan ICMP 100\.64\.1\.100 > 100\.64\.2\.100 "
                                       r"echo request\n$")

    def test_a_wrong_interface_or_filter_is_refused_with_the_fix(self):
        proc = natlab("capture", self.lab, "nat0:wam", check=False)
        self.assertEqual((proc.returncode, proc.stderr),
                         (2, f"natlab capture: node nat0 of lab {self.lab} has no interface 'wam'; its "
                             "interfaces are lan, wan; did you mean 'wan'?\n"))
        proc = natlab("capture", self.lab, "nat0:wan", "--filter", "udp portt 5", check=False)
        self.assertEqual((proc.returncode, proc.stderr),
                         (2, "natlab capture: --filter 'udp portt 5': can't parse filter expression: syntax "
                             "error; write a pcap filter, e.g. 'udp port 5000'\n"))


if __name__ == "__main__":
    unittest.main()
