import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

/**
 * Model-written markdown, with GitHub's extensions models write (tables, strikethrough,
 * task lists, bare links). react-markdown builds React elements and never renders raw
 * HTML (no rehype-raw here, on purpose); its default URL filter drops javascript: links.
 */
/**
 * Where an image in model output points, for the person deciding whether to open it:
 * the host of an absolute URL, "this app" for a relative one, null when react-markdown's
 * URL filter removed it (javascript:, data: and the like).
 */
export function imageSource(src: unknown): { href: string; host: string } | null {
  if (typeof src !== "string" || src.trim() === "") return null;
  try {
    const url = new URL(src, "http://this.app.invalid/");
    return { href: src, host: url.host === "this.app.invalid" ? "this app" : url.host };
  } catch {
    return null;
  }
}

/**
 * An image the model wrote is never fetched by the page: loading it would tell its
 * server that the page was viewed, and a prompt-injected model can put session content
 * in the URL. It shows as a link saying where it goes; opening it is the person's
 * choice, in a new tab without a referrer. (The CSP's img-src blocks other hosts too.)
 */
const imageLabel = (alt: unknown) => (typeof alt === "string" && alt.trim() ? `Image “${alt.trim()}”` : "Image");

function ModelImage({ src, alt }: { src?: unknown; alt?: string }) {
  const label = imageLabel(alt);
  const source = imageSource(src);
  if (!source) return <span className="model-image">{label} (removed: not a web address)</span>;
  return (
    <a
      className="model-image"
      href={source.href}
      target="_blank"
      rel="noreferrer noopener"
      title={`Not loaded automatically. Opens ${source.href}`}
    >
      {label}, not loaded: open from {source.host}
    </a>
  );
}

const COMPONENTS: Components = {
  a: ({ node, children, ...props }) => {
    // A linked image ([![badge](img)](site)) stays one link, to the site; the image is named, not loaded.
    const images = (node?.children ?? []).filter((child) => child.type === "element" && child.tagName === "img");
    return (
      <a {...props} target="_blank" rel="noreferrer noopener">
        {images.length === 0
          ? children
          : images.map((image, index) => {
              const properties = image.type === "element" ? image.properties : {};
              const source = imageSource(properties.src);
              return (
                <span key={index} className="model-image">
                  {imageLabel(properties.alt)}, not loaded{source ? ` (from ${source.host})` : ""}
                </span>
              );
            })}
      </a>
    );
  },
  img: ({ src, alt }) => <ModelImage src={src} alt={alt} />,
  // a wide table scrolls inside the step instead of widening the timeline
  table: ({ node: _node, ...props }) => (
    <div className="overflow-x-auto">
      <table {...props} />
    </div>
  ),
};

const REMARK_PLUGINS = [remarkGfm];

export function StepMarkdown({ text }: { text: string }) {
  return (
    <div className="prose-step">
      <Markdown components={COMPONENTS} remarkPlugins={REMARK_PLUGINS}>
        {text}
      </Markdown>
    </div>
  );
}
