#pragma once

#include <string>
#include <string_view>

#include "sok/index/sources.h"

namespace sok {

// Reads a WordPress REST API export (a JSON array of /wp-json/wp/v2/posts or
// /pages items) from `text`, read from `file`, into `sink`: id, link, date,
// modified, title.rendered, excerpt.rendered, content.rendered, a "lang"
// field where the site has one, and tag and category names where the export
// embeds them (`?_embed`).
void read_wordpress_export(std::string_view text, const std::string& file, ArticleSink& sink,
                           const SourceLimits& limits);

}  // namespace sok
