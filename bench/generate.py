"""Generate synthetic "AI daily" article records for benchmarks.

Usage: ``python bench/generate.py N DEST [--seed S]``

Writes N Markdown files with YAML front matter to ``DEST/news/YYYY-MM-DD-slug-<i>.md``,
shaped like the everyday-ai ``_news`` records and about 3.5 KB each on average.
The text is made of synthesized words; the output is deterministic for a given seed.
Benchmarks can ``from generate import generate`` with ``bench/`` on ``sys.path``.
"""

import argparse
import base64
import itertools
import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

_FUNCTION_WORDS = (
    "the of and to a in for on with is as by its how why what will from at that this can "
    "are be it more after over into about than not has new could now their up out our"
)
_TECH_WORDS = (
    "AI model models data chip chips cloud startup robot robots learning machine neural "
    "network training inference GPU GPUs LLM chatbot agent agents platform launch launches "
    "funding billion million research researchers study company companies market industry "
    "healthcare security privacy regulation policy law lawmakers government vision language "
    "speech autonomous vehicles driving software hardware developers open-source tool tools "
    "search assistant generative deep computing quantum edge semiconductor supply revenue "
    "growth forecast analysis report customers enterprise workers jobs future ethics bias "
    "facial recognition algorithm algorithms dataset benchmark performance scale partnership "
    "acquisition deal investors CEO executives users app smartphone devices sensors drones "
    "automation factory retail finance banks fraud detection diagnosis patients hospital "
    "doctors students schools content images video copyright creators election "
    "misinformation deepfakes safety risk risks breakthrough era race rivals giant giants "
    "unveils announces expands warns says plans first global largest faster smarter"
)
_TOPICS = (
    "AI",
    "Machine Learning",
    "AI Ethics",
    "Computer Vision",
    "AI Hardware",
    "AI in Autos",
    "Natural Language Processing",
    "AI in Healthcare",
    "AI in Robotics",
    "AI in Finance",
    "AI in Security",
    "Generative AI",
    "Large Language Models",
    "Deep Learning",
    "Neural Networks",
    "Reinforcement Learning",
    "Speech Recognition",
    "Data Science",
    "Cloud Computing",
    "Edge AI",
    "Quantum Computing",
    "Semiconductors",
    "AI Startups",
    "AI Policy & Regulation",
    "AI Safety",
    "AI Research",
    "Open Source AI",
    "MLOps",
    "Chatbots",
    "Autonomous Vehicles",
    "Drones",
    "AI in Education",
    "AI in Retail",
    "AI in Manufacturing",
    "AI in Agriculture",
    "AI in Energy",
    "AI in Media",
    "AI in Gaming",
    "Facial Recognition",
    "Smart Assistants",
)
_ONSETS = (*"bcdfghjklmnprstvwz", "br", "cr", "dr", "fr", "gr", "pr", "tr", "st", "ch", "sh", "pl")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou", "io")
_CODAS = ("", "", "", "n", "r", "s", "t", "l", "m", "x", "nd", "st", "ck")
# Keeps syllable soup from spelling slurs or profanity.
_BLOCKED = re.compile(
    "fuck|shit|cunt|dick|cock|nig|fag|slut|rape|piss|twat|wank|cum|tit|ass|sex|nazi"
)
_ACCENTS = str.maketrans("aeiounc", "áéíöüñç")
_EMOJI = "🤖🚀🔥💡📈🧠⚡🌍🎯💬📱🔬"
_NAME_SUFFIXES = (
    "News",
    "Times",
    "Daily",
    "Post",
    "Wire",
    "Review",
    "Journal",
    "Insider",
    "Tribune",
    "Herald",
    "Report",
    "Weekly",
    "Today",
    "Observer",
    "Digest",
    "Monitor",
)
_TLDS = ("com",) * 8 + ("net", "org", "io", "co.uk", "com.au", "ai", "news", "de", "in")
_SECTIONS = (
    "technology",
    "business",
    "news",
    "tech",
    "science",
    "ai",
    "innovation",
    "markets",
    "world",
    "health",
)
_URL_PATTERNS = (
    "https://{host}/{y}/{m}/{d}/{slug}-{uid}/",
    "https://{host}/{section}/{slug}-{uid}",
    "https://{host}/story/{uid}/{slug}",
    "https://{host}/{section}/{y}/{m}/{slug}-{uid}.html",
    "https://{host}/news/{section}/{uid}-{slug}",
)
_AMP_SUFFIXES = ("?outputType=amp", "?amp=1", "?output=amp")
_IMAGE_SIZES = (
    (1200, 630),
    (1200, 675),
    (1280, 720),
    (1600, 900),
    (1024, 683),
    (800, 450),
    (1920, 1080),
    (640, 360),
    (1200, 800),
    (1440, 960),
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SLUG_DROP = str.maketrans("", "", "'’")
_START = datetime(2019, 1, 1, tzinfo=UTC)
_SPAN_MINUTES = 6 * 365 * 24 * 60
_WEEK_MINUTES = 7 * 24 * 60


def _q(text: str) -> str:
    """Quote a string as a YAML double-quoted scalar (JSON strings are valid ones)."""
    return json.dumps(text, ensure_ascii=False)


def _uid(key: int, salt: int) -> str:
    """Map distinct keys below 2**32 to distinct 8-hex-digit ids (odd multiplier: a bijection)."""
    return f"{(key * 0x9E3779B1 + salt) & 0xFFFFFFFF:08x}"


def _zipf_cum_weights(count: int, exponent: float) -> list[float]:
    """Cumulative weights of a Zipf-like distribution over ``count`` ranks."""
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


@dataclass(frozen=True, slots=True)
class Provider:
    """A synthetic news site."""

    name: str
    domain: str
    host: str
    url_pattern: str
    sections: tuple[str, ...]
    amp_suffix: str
    image_host: str


@dataclass(frozen=True, slots=True)
class Head:
    """The fields a record shares with related entries that point at it."""

    title: str
    slug: str
    excerpt: str
    when: datetime
    web_url: str
    provider: Provider
    quality: int
    image: tuple[str, int, int, bool]


class _Synth:
    """Seeded source of words, providers and records."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        words = list(dict.fromkeys(f"{_FUNCTION_WORDS} {_TECH_WORDS}".split()))
        self.pseudo = self._pseudo_words(3000, set(words))
        self.words = words + self.pseudo
        self.word_cw = _zipf_cum_weights(len(self.words), 0.95)
        self.providers = self._providers(300)
        self.provider_cw = _zipf_cum_weights(len(self.providers), 0.8)
        self.topic_cw = _zipf_cum_weights(len(_TOPICS) - 1, 0.8)
        self.salt = rng.getrandbits(32)

    def _pseudo_words(self, count: int, taken: set[str]) -> list[str]:
        words: dict[str, None] = {}
        while len(words) < count:
            word = "".join(
                self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS) + self.rng.choice(_CODAS)
                for _ in range(self.rng.choice((1, 2, 2, 2, 3)))
            )
            if word not in taken and not _BLOCKED.search(word):
                words[word] = None
        return list(words)

    def _providers(self, count: int) -> list[Provider]:
        rng = self.rng
        providers: dict[str, Provider] = {}
        while len(providers) < count:
            stem = " ".join(w.capitalize() for w in rng.sample(self.pseudo, rng.choice((1, 1, 2))))
            name = f"{stem} {rng.choice(_NAME_SUFFIXES)}"
            if rng.random() < 0.2:
                name = f"The {name}"
            domain = f"{_NON_ALNUM.sub('', name.lower())}.{rng.choice(_TLDS)}"
            if domain in providers:
                continue
            providers[domain] = Provider(
                name=name,
                domain=domain,
                host=f"www.{domain}" if rng.random() < 0.6 else domain,
                url_pattern=rng.choice(_URL_PATTERNS),
                sections=tuple(rng.sample(_SECTIONS, rng.randint(2, 4))),
                amp_suffix=rng.choice(_AMP_SUFFIXES),
                image_host=f"{rng.choice(('media', 'cdn', 'images', 'static'))}.{domain}",
            )
        return list(providers.values())

    def _words(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.word_cw, k=count)

    def _special(self) -> str:
        """A non-ASCII token: an accented word, a CJK run or an emoji."""
        rng = self.rng
        kind = rng.random()
        if kind < 0.5:
            return rng.choice(self.pseudo).translate(_ACCENTS)
        if kind < 0.8:
            return "".join(chr(rng.randrange(0x4E00, 0x9FA6)) for _ in range(rng.randint(2, 4)))
        return rng.choice(_EMOJI)

    def _title(self) -> str:
        rng = self.rng
        words = self._words(min(40, 3 + int(rng.gammavariate(2.0, 4.5))))
        if rng.random() < 0.6:
            words = [w[0].upper() + w[1:] for w in words]
        else:
            words[0] = words[0][0].upper() + words[0][1:]
        roll = rng.random()
        if roll < 0.15:
            words.insert(rng.randrange(len(words) + 1), str(rng.choice((2, 3, 5, 10, 50, 100))))
        elif roll < 0.2:
            words.insert(rng.randrange(len(words) + 1), f"${rng.randint(1, 900)} Million")
        if rng.random() < 0.06:
            spot = rng.randrange(len(words))
            words[spot] += rng.choice(("'s", "’s"))
        if rng.random() < 0.05:
            spot = rng.randrange(len(words))
            words[spot] = f'"{words[spot]}"'
        if rng.random() < 0.03:
            words.insert(rng.randrange(len(words) + 1), self._special())
        if len(words) > 4 and rng.random() < 0.15:
            words[rng.randrange(1, len(words) - 2)] += ":"
        return " ".join(words) + ("?" if rng.random() < 0.08 else "")

    def _excerpt(self) -> str:
        rng = self.rng
        sentences = []
        for _ in range(rng.choice((1, 2, 2, 3))):
            words = self._words(rng.randint(8, 28))
            words[0] = words[0][0].upper() + words[0][1:]
            if rng.random() < 0.4:
                words[rng.randrange(2, len(words) - 2)] += ","
            sentences.append(" ".join(words) + ".")
        excerpt = " ".join(sentences)
        if len(excerpt) > 240 and rng.random() < 0.3:
            excerpt = excerpt[: rng.randint(150, 240)].rsplit(" ", 1)[0] + " ..."
        return excerpt

    def head(self, key: int, when: datetime) -> Head:
        """Invent the headline fields of the article with the given unique key."""
        rng = self.rng
        title = self._title()
        slug = _NON_ALNUM.sub("-", title.lower().translate(_SLUG_DROP)).strip("-")
        if len(slug) > 80:
            slug = slug[:80].rsplit("-", 1)[0]
        provider = rng.choices(self.providers, cum_weights=self.provider_cw)[0]
        web_url = provider.url_pattern.format(
            host=provider.host,
            y=when.year,
            m=f"{when.month:02}",
            d=f"{when.day:02}",
            section=rng.choice(provider.sections),
            slug=slug[:60].rstrip("-"),
            uid=_uid(key, self.salt),
        )
        width, height = rng.choice(_IMAGE_SIZES)
        image_url = (
            f"https://{provider.image_host}/{when.year}/{when.month:02}/"
            f"{rng.getrandbits(64):016x}.{rng.choice(('jpg', 'jpg', 'png', 'webp'))}"
        )
        return Head(
            title=title,
            slug=slug,
            excerpt=self._excerpt(),
            when=when,
            web_url=web_url,
            provider=provider,
            quality=min(106, max(0, round(rng.gauss(55, 22)))),
            image=(image_url, width, height, rng.random() < 0.9),
        )

    def random_when(self) -> datetime:
        """A publication time anywhere in the covered years."""
        return _START + timedelta(minutes=self.rng.randrange(_SPAN_MINUTES))

    def earlier(self, when: datetime) -> datetime:
        """A publication time up to a week before ``when``."""
        return when - timedelta(minutes=self.rng.randrange(_WEEK_MINUTES))

    def _topics(self) -> list[str]:
        rng = self.rng
        count = rng.randint(2, 4)
        topics = ["AI"] if rng.random() < 0.9 else []
        while len(topics) < count:
            topic = rng.choices(_TOPICS[1:], cum_weights=self.topic_cw)[0]
            if topic not in topics:
                topics.append(topic)
        rng.shuffle(topics)
        return topics

    def render(self, head: Head, related: list[Head]) -> str:
        """The full text of the record file for ``head``."""
        rng = self.rng
        provider = head.provider
        amp_url = head.web_url + provider.amp_suffix
        cdn_amp_url = (
            f"https://{provider.host.replace('.', '-')}.cdn.ampproject.org/c/s/"
            + amp_url.removeprefix("https://")
        )
        original_url = head.web_url
        if rng.random() < 0.15:
            original_url += "?utm_source=rss&utm_medium=feed"
        heat = -1 if rng.random() < 0.25 else rng.randint(0, 104)
        lines = [
            "---",
            "category: news",
            f"title: {_q(head.title)}",
            f"excerpt: {_q(head.excerpt)}",
            f"publishedDateTime: {head.when:%Y-%m-%dT%H:%M}:00Z",
            f"originalUrl: {_q(original_url)}",
            f"webUrl: {_q(head.web_url)}",
            f"ampWebUrl: {_q(amp_url)}",
            f"cdnAmpWebUrl: {_q(cdn_amp_url)}",
            "type: article",
            f"quality: {head.quality}",
            f"heat: {heat}",
            "published: true",
            "",
            "provider:",
            f"  name: {_q(provider.name)}",
            f"  domain: {_q(provider.domain)}",
            "",
            "topics:",
            *(f"  - {_q(topic)}" for topic in self._topics()),
            "",
            "images:",
            *_image_lines(head.image, "  "),
            "",
            "related:",
        ]
        for item in related:
            lines += [
                f"  - title: {_q(item.title)}",
                f"    excerpt: {_q(item.excerpt)}",
                f"    publishedDateTime: {item.when:%Y-%m-%dT%H:%M}:00Z",
                f"    webUrl: {_q(item.web_url)}",
                "    type: article",
                "    provider:",
                f"      name: {_q(item.provider.name)}",
                f"      domain: {_q(item.provider.domain)}",
                f"    quality: {item.quality}",
                "    images:",
                *_image_lines(item.image, "      "),
            ]
        secured = (
            base64.b64encode(rng.randbytes(rng.randint(200, 380))).decode()
            + ";"
            + base64.b64encode(rng.randbytes(16)).decode()
        )
        lines += ["", f"secured: {_q(secured)}", "---", ""]
        return "\n".join(lines)


def _image_lines(image: tuple[str, int, int, bool], indent: str) -> list[str]:
    """YAML lines of a one-item ``images`` list."""
    url, width, height, cached = image
    return [
        f"{indent}- url: {_q(url)}",
        f"{indent}  width: {width}",
        f"{indent}  height: {height}",
        f"{indent}  isCached: {'true' if cached else 'false'}",
    ]


def generate(n: int, dest: Path, seed: int = 0) -> list[Path]:
    """Write ``n`` records to ``dest/news`` and return their paths in index order.

    About a third of the related entries point at other generated records published
    close in time; the rest describe articles that are not in the collection.
    """
    rng = random.Random(seed)
    synth = _Synth(rng)
    heads = [synth.head(i, synth.random_when()) for i in range(n)]
    by_time = sorted(range(n), key=lambda i: heads[i].when)
    rank = [0] * n
    for position, i in enumerate(by_time):
        rank[i] = position
    out = dest / "news"
    out.mkdir(parents=True, exist_ok=True)
    next_key = n
    paths = []
    for i, head in enumerate(heads):
        related = []
        for _ in range(rng.randint(2, 3)):
            position = rank[i] + rng.choice((-1, 1)) * rng.randint(1, 40)
            if rng.random() < 0.35 and 0 <= position < n:
                related.append(heads[by_time[position]])
            else:
                related.append(synth.head(next_key, synth.earlier(head.when)))
                next_key += 1
        path = out / f"{head.when:%Y-%m-%d}-{head.slug}-{i}.md"
        path.write_text(synth.render(head, related), encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, metavar="N", help="number of records to write")
    parser.add_argument("dest", type=Path, metavar="DEST", help="collection root (gets news/)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")
    paths = generate(args.n, args.dest, args.seed)
    print(f"wrote {len(paths)} records to {args.dest / 'news'}")


if __name__ == "__main__":
    main()
