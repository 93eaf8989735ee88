# Sourced by the bench scripts: starts nginx-rtmp (Debian nginx + libnginx-mod-rtmp) with one worker pinned to a core,
# listening on 127.0.0.1:PORT with application "live", its files in WORK. Sets nginx_workers to the worker PIDs.
#   start_nginx_rtmp WORK PORT CORE
start_nginx_rtmp() {
  local work="$1" port="$2" core="$3"
  cat >"$work/nginx.conf" <<CONF
load_module $(ls /usr/lib/nginx/modules/ngx_rtmp_module.so);
worker_processes 1;
worker_rlimit_nofile 65536;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 30000; }
rtmp { server { listen 127.0.0.1:$port; chunk_size 4096; application live { live on; } } }
CONF
  taskset -c "$core" nginx -c "$work/nginx.conf" -p "$work" -g 'daemon on;'
  sleep 1
  nginx_workers="$(pgrep -P "$(cat "$work/nginx.pid")" | paste -sd, -)"
}
