#include "media/inband_dtmf.h"

#include <spandsp.h>

#include <algorithm>
#include <array>
#include <new>

namespace unicc::media {
namespace {

void on_digits(void* user_data, const char* digits, int length) {
  static_cast<std::string*>(user_data)->append(digits, static_cast<std::size_t>(length));
}

}  // namespace

InbandDtmfDetector::InbandDtmfDetector() : state_(dtmf_rx_init(nullptr, on_digits, &confirmed_)) {
  if (state_ == nullptr) throw std::bad_alloc();
}

InbandDtmfDetector::~InbandDtmfDetector() { dtmf_rx_free(state_); }

std::string InbandDtmfDetector::on_samples(std::span<const std::int16_t> samples) {
  confirmed_.clear();
  dtmf_rx(state_, samples.data(), static_cast<int>(samples.size()));
  return std::move(confirmed_);
}

std::string InbandDtmfDetector::on_payload(G711Law law, std::span<const std::uint8_t> payload) {
  // An RTP packet of G.711 carries 20 ms (160 samples) in practice; longer ones are
  // taken in pieces rather than allocating.
  std::array<std::int16_t, 480> linear;
  std::string digits;
  while (!payload.empty()) {
    const auto piece = payload.first(std::min(payload.size(), linear.size()));
    decode_g711(law, piece, linear);
    digits += on_samples(std::span<const std::int16_t>(linear).first(piece.size()));
    payload = payload.subspan(piece.size());
  }
  return digits;
}

}  // namespace unicc::media
