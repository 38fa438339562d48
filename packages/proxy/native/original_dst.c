// original_dst: reads where a connection redirected by iptables (nat REDIRECT/DNAT) was originally going.
// Node has no API for the SO_ORIGINAL_DST socket option, so transparent capture needs this one function:
//   originalDestination(fd) -> { address, port, family } | undefined
// undefined means the kernel has no NAT record for the connection (it was not redirected, or conntrack is
// not loaded); any other failure throws an Error whose code is the errno name.
#define NAPI_VERSION 8
#include <node_api.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

// The values of the Linux uapi headers (linux/netfilter_ipv4.h, linux/netfilter_ipv6/ip6_tables.h), defined
// here because those headers clash with the libc socket headers on some systems.
#ifndef SO_ORIGINAL_DST
#define SO_ORIGINAL_DST 80
#endif
#ifndef IP6T_SO_ORIGINAL_DST
#define IP6T_SO_ORIGINAL_DST 80
#endif

static const char *errno_name(int error) {
  switch (error) {
    case EBADF: return "EBADF";
    case ENOTSOCK: return "ENOTSOCK";
    case EINVAL: return "EINVAL";
    case ENOTCONN: return "ENOTCONN";
    case EFAULT: return "EFAULT";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EPERM: return "EPERM";
    default: return "EUNKNOWN";
  }
}

static napi_value throw_errno(napi_env env, const char *what, int fd, int error) {
  char message[256];
  snprintf(message, sizeof message, "%s on fd %d failed: %s (%s)", what, fd, strerror(error), errno_name(error));
  napi_throw_error(env, errno_name(error), message);
  return NULL;
}

static napi_value undefined_value(napi_env env) {
  napi_value value;
  napi_get_undefined(env, &value);
  return value;
}

static napi_status set_string(napi_env env, napi_value object, const char *key, const char *text) {
  napi_value value;
  napi_status status = napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &value);
  return status == napi_ok ? napi_set_named_property(env, object, key, value) : status;
}

static napi_value destination_object(napi_env env, const struct sockaddr_storage *original) {
  char address[INET6_ADDRSTRLEN];
  unsigned port;
  const char *family;
  if (original->ss_family == AF_INET) {
    const struct sockaddr_in *v4 = (const struct sockaddr_in *)original;
    inet_ntop(AF_INET, &v4->sin_addr, address, sizeof address);
    port = ntohs(v4->sin_port);
    family = "IPv4";
  } else {
    const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)original;
    inet_ntop(AF_INET6, &v6->sin6_addr, address, sizeof address);
    port = ntohs(v6->sin6_port);
    family = "IPv6";
  }
  napi_value object, port_value;
  if (napi_create_object(env, &object) != napi_ok || set_string(env, object, "address", address) != napi_ok ||
      napi_create_uint32(env, port, &port_value) != napi_ok ||
      napi_set_named_property(env, object, "port", port_value) != napi_ok ||
      set_string(env, object, "family", family) != napi_ok) {
    napi_throw_error(env, NULL, "originalDestination: cannot build the result object");
    return NULL;
  }
  return object;
}

static napi_value original_destination(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  napi_valuetype type = napi_undefined;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_typeof(env, argv[0], &type) != napi_ok || type != napi_number ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "originalDestination(fd): fd must be a non-negative integer");
    return NULL;
  }

  // The family of the listening side decides the option: IPv4 (also as ::ffff:a.b.c.d on a dual-stack
  // socket, whose NAT record is IPv4) asks the IPv4 table, native IPv6 the IPv6 one.
  struct sockaddr_storage local;
  socklen_t local_length = sizeof local;
  memset(&local, 0, sizeof local);
  if (getsockname(fd, (struct sockaddr *)&local, &local_length) != 0) return throw_errno(env, "getsockname", fd, errno);
  int ipv4 = local.ss_family == AF_INET ||
             (local.ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)&local)->sin6_addr));
  if (!ipv4 && local.ss_family != AF_INET6) return throw_errno(env, "SO_ORIGINAL_DST", fd, EAFNOSUPPORT);

  struct sockaddr_storage original;
  socklen_t original_length = ipv4 ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
  memset(&original, 0, sizeof original);
  int result = ipv4 ? getsockopt(fd, SOL_IP, SO_ORIGINAL_DST, &original, &original_length)
                    : getsockopt(fd, SOL_IPV6, IP6T_SO_ORIGINAL_DST, &original, &original_length);
  if (result != 0) {
    int error = errno;
    // ENOENT: no conntrack entry for this connection; ENOPROTOOPT: conntrack is not loaded at all.
    if (error == ENOENT || error == ENOPROTOOPT) return undefined_value(env);
    return throw_errno(env, ipv4 ? "SO_ORIGINAL_DST" : "IP6T_SO_ORIGINAL_DST", fd, error);
  }
  original.ss_family = ipv4 ? AF_INET : AF_INET6;
  return destination_object(env, &original);
}

NAPI_MODULE_INIT() {
  napi_value function;
  if (napi_create_function(env, "originalDestination", NAPI_AUTO_LENGTH, original_destination, NULL, &function) != napi_ok ||
      napi_set_named_property(env, exports, "originalDestination", function) != napi_ok)
    return NULL;
  return exports;
}
