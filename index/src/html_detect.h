#pragma once

#include <string_view>

namespace sok {

// Whether text carries HTML markup ("<p>", "</div>", "<br/>", "&amp;") and
// so needs html_to_text before indexing.
bool looks_like_html(std::string_view text);

}  // namespace sok
