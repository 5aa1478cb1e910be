"""Articles as the site's JSON shape (camelCase keys): for `reader list --json` and the caches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reader.model import Article, Image, Provider, Related
from reader.parsing.normalize import parse_datetime


def article_to_dict(article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "excerpt": article.excerpt,
        "publishedDateTime": _iso(article.published),
        "webUrl": article.web_url,
        "originalUrl": article.original_url,
        "ampWebUrl": article.amp_web_url,
        "cdnAmpWebUrl": article.cdn_amp_web_url,
        "type": article.type,
        "category": article.category,
        "heat": article.heat,
        "quality": article.quality,
        "provider": _provider(article.provider),
        "topics": list(article.topics),
        "images": [_image(image) for image in article.images],
        "related": [_related(related) for related in article.related],
        "content": article.content,
        "source": article.source,
    }


def article_from_dict(data: dict[str, Any], key: str) -> Article:
    """The inverse of `article_to_dict`, for data this program wrote itself."""
    return Article(
        title=data["title"],
        source=data["source"],
        excerpt=data["excerpt"],
        published=parse_datetime(data["publishedDateTime"]),
        web_url=data["webUrl"],
        original_url=data["originalUrl"],
        amp_web_url=data["ampWebUrl"],
        cdn_amp_web_url=data["cdnAmpWebUrl"],
        type=data["type"],
        category=data["category"],
        heat=data["heat"],
        quality=data["quality"],
        provider=_provider_from(data["provider"]),
        topics=tuple(data["topics"]),
        images=tuple(_image_from(image) for image in data["images"]),
        related=tuple(
            Related(
                title=item["title"],
                excerpt=item["excerpt"],
                published=parse_datetime(item["publishedDateTime"]),
                web_url=item["webUrl"],
                type=item["type"],
                provider=_provider_from(item["provider"]),
                quality=item["quality"],
                images=tuple(_image_from(image) for image in item["images"]),
            )
            for item in data["related"]
        ),
        content=data["content"],
        key=key,
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _provider(provider: Provider | None) -> dict[str, Any] | None:
    return {"name": provider.name, "domain": provider.domain} if provider else None


def _provider_from(data: dict[str, Any] | None) -> Provider | None:
    return Provider(data["name"], data["domain"]) if data else None


def _image(image: Image) -> dict[str, Any]:
    return {"url": image.url, "width": image.width, "height": image.height}


def _image_from(data: dict[str, Any]) -> Image:
    return Image(data["url"], data["width"], data["height"])


def _related(related: Related) -> dict[str, Any]:
    return {
        "title": related.title,
        "excerpt": related.excerpt,
        "publishedDateTime": _iso(related.published),
        "webUrl": related.web_url,
        "type": related.type,
        "provider": _provider(related.provider),
        "quality": related.quality,
        "images": [_image(image) for image in related.images],
    }
