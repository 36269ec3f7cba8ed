// Start-up failures that retrying cannot fix: the broker refused the client's
// credentials (SASL) or the TLS handshake failed (e.g. an untrusted broker
// certificate). librdkafka reports them as errors and log lines, then retries
// for ever; SecurityWatch remembers the first one so callers can stop with a
// message that names the cause.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <mutex>
#include <string>
#include <string_view>

namespace baton::runtime::kafka {

// "authentication failed", "TLS certificate verify failed" or "TLS handshake
// failed" when the error (code and/or text) is a security failure, else "".
std::string security_cause(RdKafka::ErrorCode code, std::string_view text);

// One line: the cause, librdkafka's text and what to check.
std::string explain_security_failure(const std::string& cause, const std::string& text);

class SecurityWatch {
 public:
  // Feeds an error (code) or a log line (code ERR_NO_ERROR, text only).
  void observe(RdKafka::ErrorCode code, const std::string& text);
  // The explained first failure seen, or "" when none.
  std::string failure() const;

 private:
  mutable std::mutex mu_;
  std::string failure_;
};

}  // namespace baton::runtime::kafka
