# Sourced by the bench scripts. On loopback the kernel processes a segment's arrival on the core that sent it: the
# server's core pays for its viewers' receive work, and its viewers' core for the ACKs that reach the server (and for
# any bytes the kernel held back, Nagle, and released when such an ACK came in). Two machines split it the other way.
# RX_STEERING=rfs turns on Receive Flow Steering for lo, so each arrival is processed on the core of the process that
# reads the socket: the viewers' data on the load core, the server's ACKs and publisher data on the server's core.
# Needs root; the previous settings are restored on exit (call rx_steering_restore from the EXIT trap).
#   rx_steering_apply      (reads RX_STEERING: empty or "off" for the kernel's default, "rfs")
rx_queue=/sys/class/net/lo/queues/rx-0
rx_saved=""
rx_steering_apply() {
  case "${RX_STEERING:-off}" in
    off) return ;;
    rfs) ;;
    *) echo "RX_STEERING must be off or rfs" >&2; exit 2 ;;
  esac
  rx_saved="$(cat /proc/sys/net/core/rps_sock_flow_entries) $(cat "$rx_queue/rps_cpus") $(cat "$rx_queue/rps_flow_cnt")"
  echo 32768 >/proc/sys/net/core/rps_sock_flow_entries
  echo 32768 >"$rx_queue/rps_flow_cnt"
  printf '%x\n' $(( (1 << $(nproc)) - 1 )) >"$rx_queue/rps_cpus"
  echo "receive steering: RFS on lo (rps_cpus=$(cat "$rx_queue/rps_cpus"), 32768 flows)"
}
rx_steering_restore() {
  if [ -n "$rx_saved" ]; then
    read -r entries cpus flows <<<"$rx_saved"
    echo "$entries" >/proc/sys/net/core/rps_sock_flow_entries
    echo "$cpus" >"$rx_queue/rps_cpus"
    echo "$flows" >"$rx_queue/rps_flow_cnt"
    rx_saved=""
  fi
}
