/**
 * A new course's address follows its title as the author types it (the rule the courses API uses
 * when the slug is left out: accents dropped, lower case, words joined by hyphens), until the
 * author types an address of their own. An existing course's address is never changed for them:
 * its page may already be linked from elsewhere.
 */
export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

document.querySelectorAll<HTMLElement>("[data-slug-suggest]").forEach((group) => {
  const title = group.querySelector<HTMLInputElement>("input[name=title]");
  const slug = group.querySelector<HTMLInputElement>("input[name=slug]");
  if (!title || !slug || slug.value !== "") return;
  let suggested = "";
  title.addEventListener("input", () => {
    // The author's own address stays: only a slug still equal to the last suggestion follows.
    if (slug.value !== suggested) return;
    suggested = slugify(title.value);
    slug.value = suggested;
  });
});
