package dev.graft.core.recipe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a recipe file splits into YAML documents. */
class RecipeSetDocumentsTest {
    @Test
    void splitsOnSeparatorLinesOnlyAndDropsEmptyDocuments() {
        String text = "# a comment\n---\nname: a\nmerge_method: linear\n--- # second\nmerge_method: ties\n"
                + "note: \"--- is not a separator here\"\n---\n# only a comment\n";
        assertThat(RecipeSet.documents(text)).containsExactly("\nname: a\nmerge_method: linear\n",
                "\nmerge_method: ties\nnote: \"--- is not a separator here\"\n");
        assertThat(RecipeSet.documents("merge_method: linear\n")).containsExactly("merge_method: linear\n");
    }
}
