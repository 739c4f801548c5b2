-- CreateTable
CREATE TABLE "StartingBlob" (
    "sha256" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StartingBlob_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "StartingFileSet" (
    "sessionId" TEXT NOT NULL,
    "manifest" JSONB NOT NULL,
    "skipped" JSONB NOT NULL DEFAULT '[]',
    "fileCount" INTEGER NOT NULL,
    "totalBytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StartingFileSet_pkey" PRIMARY KEY ("sessionId")
);

-- AddForeignKey
ALTER TABLE "StartingFileSet" ADD CONSTRAINT "StartingFileSet_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
