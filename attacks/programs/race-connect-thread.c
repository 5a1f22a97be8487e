/* connect() with a sockaddr whose port is flipped from allowed to denied after the check. */
#include "attack.h"
#include <netinet/in.h>
#include <arpa/inet.h>
int main(void) {
  struct sockaddr_in a = {.sin_family = AF_INET}, b;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  b = a;
  a.sin_port = htons(port_env("SB_PORT_OK"));
  b.sin_port = htons(port_env("SB_PORT_DENIED"));
  pthread_t t = race_start(&a, &b, sizeof a);
  long hits = 0, n = 0, max = race_tries();
  double end = now() + race_seconds();
  for (; n < max && now() < end && (!hits || count_all()); n++) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(s, (struct sockaddr *)race_buf, sizeof a) == 0) {
      struct sockaddr_in peer;
      socklen_t l = sizeof peer;
      getpeername(s, (struct sockaddr *)&peer, &l);
      if (peer.sin_port == b.sin_port) hits++;
    }
    close(s);
  }
  race_end(t);
  rate(hits, n);
  result(hits > 0, "connect race: reached the denied port %ld times in %ld tries", hits, n);
}
