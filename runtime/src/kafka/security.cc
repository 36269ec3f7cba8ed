#include "kafka/security.h"

#include <algorithm>

namespace baton::runtime::kafka {

namespace {
bool contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}
}  // namespace

std::string security_cause(RdKafka::ErrorCode code, std::string_view text) {
  if (contains(text, "certificate verify failed")) return "TLS certificate verify failed";
  switch (code) {
    case RdKafka::ERR__AUTHENTICATION:
    case RdKafka::ERR_SASL_AUTHENTICATION_FAILED:
    case RdKafka::ERR_UNSUPPORTED_SASL_MECHANISM:
    case RdKafka::ERR_ILLEGAL_SASL_STATE:
      return "authentication failed";
    case RdKafka::ERR__SSL:
      return "TLS handshake failed";
    default:
      break;
  }
  if (contains(text, "SASL authentication error") || contains(text, "Authentication failed"))
    return "authentication failed";
  if (contains(text, "SSL handshake failed")) return "TLS handshake failed";
  return "";
}

std::string explain_security_failure(const std::string& cause, const std::string& text) {
  std::string hint;
  if (cause == "authentication failed")
    hint =
        "check sasl.username, the password (sasl.password or BATON_KAFKA_SASL_PASSWORD_FILE) and "
        "sasl.mechanisms";
  else
    hint =
        "check ssl.ca.location (BATON_KAFKA_SSL_CA_LOCATION): it must hold the CA that signed the "
        "broker's certificate";
  std::string line = text;
  std::replace(line.begin(), line.end(), '\n', ' ');
  // Log lines start with the thread name: "[thrd:...]: ".
  if (line.rfind("[thrd:", 0) == 0) {
    auto end = line.find("]: ");
    if (end != std::string::npos) line.erase(0, end + 3);
  }
  return "Kafka " + cause + ": " + line + " (" + hint + ")";
}

void SecurityWatch::observe(RdKafka::ErrorCode code, const std::string& text) {
  auto cause = security_cause(code, text);
  if (cause.empty()) return;
  std::lock_guard lk(mu_);
  if (failure_.empty()) failure_ = explain_security_failure(cause, text);
}

std::string SecurityWatch::failure() const {
  std::lock_guard lk(mu_);
  return failure_;
}

}  // namespace baton::runtime::kafka
