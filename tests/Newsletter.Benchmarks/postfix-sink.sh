#!/usr/bin/env bash
# The "postfix" sink of `send --sink postfix`: Debian's Postfix on 127.0.0.1:2527 accepting every
# recipient and discarding every message, with one maillog line per message (cleanup's message-id=)
# from which the benchmark counts lost and duplicate messages. Runs without systemd; as root.
# Usage: postfix-sink.sh [start|stop]   (MAILLOG=/path overrides the log file)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
log=${MAILLOG:-/var/log/postfix-sink.log}

if [ "${1:-start}" = stop ]; then
  postfix stop
  exit 0
fi

if ! command -v postfix >/dev/null 2>&1; then
  # "No configuration": we write main.cf ourselves below.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -q
  apt-get install -y -q --no-install-recommends postfix
fi
[ -f /etc/postfix/main.cf ] || cp /usr/share/postfix/main.cf.debian /etc/postfix/main.cf

postconf -e \
  "myhostname = sink.localdomain" \
  "inet_interfaces = 127.0.0.1" \
  "inet_protocols = ipv4" \
  "mynetworks = 127.0.0.0/8" \
  "smtpd_relay_restrictions = permit_mynetworks, reject" \
  "mydestination =" \
  "local_recipient_maps =" \
  "alias_maps =" \
  "alias_database =" \
  "default_transport = discard:benchmark sink" \
  "relay_transport = discard:benchmark sink" \
  "local_transport = discard:benchmark sink" \
  "in_flow_delay = 0" \
  "maillog_file = $log" \
  "compatibility_level = 3.6"
# Only port 2527, and no chroot: a chroot would need copies of /etc files the discard setup doesn't care about.
postconf -MX smtp/inet || true
postconf -M "2527/inet=2527 inet n - n - - smtpd"
postconf -F '*/*/chroot = n'
grep -q '^postlog' /etc/postfix/master.cf || postconf -M "postlog/unix-dgram=postlog unix-dgram n - n - 1 postlogd"

postfix check
if postfix status >/dev/null 2>&1; then postfix reload; else postfix start; fi
for _ in $(seq 1 50); do
  if (exec 3<>/dev/tcp/127.0.0.1/2527) 2>/dev/null; then
    echo "postfix sink on 127.0.0.1:2527, discarding; maillog $log"
    exit 0
  fi
  sleep 0.2
done
echo "postfix did not start listening on 127.0.0.1:2527; see $log" >&2
exit 1
