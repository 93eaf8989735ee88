# Sourced by bench/run-hls.sh: starts nginx with nginx-rtmp's HLS (Debian nginx + libnginx-mod-rtmp), one worker pinned
# to a core: RTMP ingest on 127.0.0.1:RTMP_PORT (application "live"), MPEG-TS segments of ~2 s (the stream's GOP) written
# to HLS_DIR (tmpfs by default), and the same worker serving them over HTTP on 127.0.0.1:HTTP_PORT under /hls/, with
# keep-alive and sendfile. Sets nginx_workers to the worker PIDs.
#   start_nginx_hls WORK RTMP_PORT HTTP_PORT CORE HLS_DIR
start_nginx_hls() {
  local work="$1" rtmp_port="$2" http_port="$3" core="$4" hls_dir="$5"
  mkdir -p "$hls_dir" "$work/nginx-temp"
  chmod 777 "$hls_dir" "$work/nginx-temp"   # the worker may run as another user than the master
  cat >"$work/nginx-hls.conf" <<CONF
load_module $(ls /usr/lib/nginx/modules/ngx_rtmp_module.so);
worker_processes 1;
worker_rlimit_nofile 65536;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 30000; }
rtmp {
  server {
    listen 127.0.0.1:$rtmp_port;
    chunk_size 4096;
    application live {
      live on;
      hls on;
      hls_path $hls_dir;
      hls_fragment 2s;
      hls_playlist_length 12s;
    }
  }
}
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx-temp/body;
  proxy_temp_path $work/nginx-temp/proxy;
  fastcgi_temp_path $work/nginx-temp/fastcgi;
  uwsgi_temp_path $work/nginx-temp/uwsgi;
  scgi_temp_path $work/nginx-temp/scgi;
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  server {
    listen 127.0.0.1:$http_port;
    location /hls/ {
      alias $hls_dir/;
      add_header Cache-Control no-cache;
    }
  }
}
CONF
  taskset -c "$core" nginx -c "$work/nginx-hls.conf" -p "$work" -g 'daemon on;'
  sleep 1
  nginx_workers="$(pgrep -P "$(cat "$work/nginx.pid")" | paste -sd, -)"
}
